package dev.ciobridge.unified;

/** The status and JSON body of a unified API response. */
record UnifiedReply(int status, Object body) {

    static UnifiedReply ok(Object body) {
        return new UnifiedReply(200, body);
    }

    static UnifiedReply created(Object body) {
        return new UnifiedReply(201, body);
    }
}
