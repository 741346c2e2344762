package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The Vert.x HTTP server of the simulator. It listens on 127.0.0.1 only, runs one server per event loop on a shared
 * port, collects each body, and sends the request to the surface under whose base path it arrived. Handlers run on
 * the event loop and never block.
 */
final class SimulatorServer {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);
    static final String HOST = "127.0.0.1";
    /** Transactional payloads may reach 1 MB plus 2 MB of attachments; anything larger is rejected unread. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final Vertx vertx;
    private final Dispatcher dispatcher;
    private final List<HttpServer> servers = new ArrayList<>();
    private int port;

    SimulatorServer(int eventLoops, Dispatcher dispatcher) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        this.dispatcher = dispatcher;
    }

    /** Starts one server per event loop and returns the bound port; port 0 picks a free one. */
    int start(int requestedPort, int eventLoops) {
        // Vert.x shares one bound port between servers that listen on the same port number. A negative number
        // means "one random port shared by every server that uses this number", which port 0 cannot express.
        int sharedPort = requestedPort == 0 ? -1 : requestedPort;
        HttpServer first = listen(sharedPort);
        port = first.actualPort();
        for (int i = 1; i < eventLoops; i++) {
            listen(sharedPort);
        }
        LOG.info("Customer.io simulator listening on http://{}:{} with {} event loops", HOST, port, eventLoops);
        return port;
    }

    private HttpServer listen(int listenPort) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(HOST)
                .setPort(listenPort)
                .setTcpNoDelay(true)
                .setIdleTimeout(120);
        HttpServer server = vertx.createHttpServer(options).requestHandler(this::accept);
        try {
            HttpServer bound = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.add(bound);
            return bound;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the simulator on port " + listenPort, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot listen on " + HOST + ":" + listenPort, e);
        }
    }

    int port() {
        return port;
    }

    Vertx vertx() {
        return vertx;
    }

    void stop() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            LOG.info("Customer.io simulator on port {} stopped", port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Customer.io simulator on port {} did not stop cleanly", port, e);
        }
    }

    /** Marks the response as the simulator's, then reads the body within {@link #MAX_BODY_BYTES}. */
    private void accept(HttpServerRequest request) {
        request.response().putHeader(SimExchange.SANDBOX_HEADER, SimExchange.TRUE);
        BodyCollector collector = new BodyCollector(request);
        request.handler(collector);
        request.endHandler(end -> {
            if (!collector.tooLarge) {
                dispatcher.dispatch(vertx, request, collector.body);
            }
        });
        request.exceptionHandler(error -> LOG.debug("Simulator request {} {} failed", request.method(), request.path(), error));
    }

    /** Keeps the first chunk as is and copies only when a body arrives in several chunks. */
    private static final class BodyCollector implements io.vertx.core.Handler<Buffer> {
        private final HttpServerRequest request;
        Buffer body;
        boolean tooLarge;
        private boolean copied;

        BodyCollector(HttpServerRequest request) {
            this.request = request;
        }

        @Override
        public void handle(Buffer chunk) {
            if (tooLarge) {
                return;
            }
            if (body == null) {
                body = chunk;
            } else {
                if (!copied) {
                    body = Buffer.buffer(body.length() + chunk.length()).appendBuffer(body);
                    copied = true;
                }
                body.appendBuffer(chunk);
            }
            if (body.length() > MAX_BODY_BYTES) {
                tooLarge = true;
                request.response().setStatusCode(413)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end("{\"meta\":{\"errors\":[\"request body is larger than " + MAX_BODY_BYTES + " bytes\"]}}");
                request.connection().close();
            }
        }
    }
}
