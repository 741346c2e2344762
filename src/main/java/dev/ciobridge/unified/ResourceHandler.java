package dev.ciobridge.unified;

import java.util.Set;

import dev.ciobridge.api.ApiException;

/**
 * One unified resource. Each operation a resource lacks returns 405; {@link #collectionMethods} and
 * {@link #itemMethods} list those it has, for the dispatcher's 405 and its {@code Allow} header.
 */
abstract class ResourceHandler {

    final CustomerIoCalls calls;
    private final String name;
    private final Set<String> collectionMethods;
    private final Set<String> itemMethods;

    /**
     * @param collectionMethods HTTP methods on {@code /{resource}}
     * @param itemMethods HTTP methods on {@code /{resource}/{id}}
     */
    ResourceHandler(CustomerIoCalls calls, String name, Set<String> collectionMethods, Set<String> itemMethods) {
        this.calls = calls;
        this.name = name;
        this.collectionMethods = collectionMethods;
        this.itemMethods = itemMethods;
    }

    final String name() {
        return name;
    }

    /** Returns the HTTP methods on {@code /{resource}}. */
    final Set<String> collectionMethods() {
        return collectionMethods;
    }

    /** Returns the HTTP methods on {@code /{resource}/{id}}. */
    final Set<String> itemMethods() {
        return itemMethods;
    }

    /** HTTP methods on {@code /{resource}/{id}/{subresource}}, empty when the subresource does not exist. */
    Set<String> subresourceMethods(String subresource) {
        return Set.of();
    }

    /** Query parameters that filter the list, besides {@code limit} and {@code next_cursor}. */
    Set<String> listFilters() {
        return Set.of();
    }

    /** Query parameters accepted on single-object calls, besides {@code integrated_account_id}. */
    Set<String> itemParameters() {
        return Set.of();
    }

    ListPage list(UnifiedRequest request, ListWindow window) {
        throw unsupported();
    }

    Object get(UnifiedRequest request) {
        throw unsupported();
    }

    Object create(UnifiedRequest request) {
        throw unsupported();
    }

    Object update(UnifiedRequest request) {
        throw unsupported();
    }

    Object delete(UnifiedRequest request) {
        throw unsupported();
    }

    /** Serves a call on {@code /{resource}/{id}/{subresource}}. */
    UnifiedReply subresource(UnifiedRequest request) {
        throw unsupported();
    }

    private IllegalStateException unsupported() {
        return new IllegalStateException("the dispatcher called an operation that " + name() + " does not list");
    }

    /** Reads the path id as a positive integer, or responds with 400 naming the resource. */
    static long numericId(UnifiedRequest request, String kind) {
        try {
            long id = Long.parseLong(request.id);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw ApiException.badRequest("Invalid " + kind + " id '" + request.id + "': Customer.io " + kind
                + " ids are positive integers");
    }
}
