package dev.ciobridge.unified;

import java.util.List;

/**
 * One page of unified objects.
 *
 * @param items the objects in Customer.io's order
 * @param nextStart the {@link ListWindow#start} of the following page, or null when this page is the last
 */
record ListPage(List<Object> items, String nextStart) {
}
