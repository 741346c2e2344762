package dev.ciobridge.sandbox;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator that sandbox accounts talk to, started in-process on a loopback port the first time it is needed
 * and stopped with the service. Its state lives in memory: after a restart each sandbox workspace is registered
 * again with its stored credentials and seed, so deliveries go on, but people and events sent earlier are gone.
 */
public final class EmbeddedSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSandbox.class);

    private final int port;
    private CioSimulator simulator;

    /** @param port the loopback port to listen on, or 0 for any free port */
    public EmbeddedSandbox(int port) {
        this.port = port;
    }

    public synchronized SimulatorUrls urls() {
        return simulator().urls();
    }

    /** Creates a workspace, or registers it again after a restart when the spec carries its credentials. */
    public synchronized SandboxWorkspace workspace(WorkspaceSpec spec) {
        CioSimulator running = simulator();
        if (spec.siteId() != null) {
            Optional<SandboxWorkspace> existing = running.workspace(spec.siteId());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        return running.createWorkspace(spec);
    }

    public synchronized Optional<SandboxWorkspace> find(String siteId) {
        return simulator == null ? Optional.empty() : simulator.workspace(siteId);
    }

    public synchronized void remove(String siteId) {
        if (simulator != null) {
            simulator.removeWorkspace(siteId);
        }
    }

    private CioSimulator simulator() {
        if (simulator == null) {
            simulator = startOffVertxThread();
            LOG.info("Customer.io sandbox simulator listening at {} (answers carry X-Cio-Sandbox: true)", simulator.urls().base());
        }
        return simulator;
    }

    /**
     * Starts the simulator from a plain thread: the first sandbox call usually arrives on a Vert.x worker of the HTTP
     * listener, and a Vert.x instance created there would share that thread's context.
     */
    private CioSimulator startOffVertxThread() {
        CioSimulator[] started = new CioSimulator[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread starter = new Thread(() -> {
            try {
                started[0] = CioSimulator.start(port);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "sandbox-start");
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the sandbox simulator", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return started[0];
    }

    @Override
    public synchronized void close() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
            LOG.info("Customer.io sandbox simulator stopped");
        }
    }
}
