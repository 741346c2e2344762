package dev.ciobridge.unified;

/**
 * The part of a list that one call requests.
 *
 * @param limit items requested, from 1 to the unified maximum
 * @param start where to continue: Customer.io's {@code start} token, or for lists Customer.io returns whole, the id
 *              of the last item already returned; null on the first page
 */
record ListWindow(int limit, String start) {
}
