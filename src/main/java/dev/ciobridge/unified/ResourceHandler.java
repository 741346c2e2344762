package dev.ciobridge.unified;

import java.util.Set;

import dev.ciobridge.api.ApiException;

/**
 * One unified resource. Each operation a resource lacks returns 405; {@link #collectionMethods} and
 * {@link #itemMethods} list those it has, for the dispatcher's 405 and its {@code Allow} header.
 */
abstract class ResourceHandler {

    final CustomerIoCalls calls;

    ResourceHandler(CustomerIoCalls calls) {
        this.calls = calls;
    }

    abstract String name();

    /** HTTP methods on {@code /{resource}}. */
    abstract Set<String> collectionMethods();

    /** HTTP methods on {@code /{resource}/{id}}. */
    abstract Set<String> itemMethods();

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
