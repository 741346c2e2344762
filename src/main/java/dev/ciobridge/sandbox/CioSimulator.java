package dev.ciobridge.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * An embedded simulator of Customer.io's Track, App and Pipelines APIs on 127.0.0.1. Start one, create workspaces,
 * point a client at {@link #urls()}, and inspect what it received through each {@link SandboxWorkspace}. Every
 * response carries {@code X-Cio-Sandbox: true}. Close it to free the port and its event loop threads.
 *
 * <pre>{@code
 * try (CioSimulator simulator = CioSimulator.start()) {
 *     SandboxWorkspace workspace = simulator.createWorkspace(WorkspaceSpec.defaults().withData(1000, 10_000));
 *     String trackUrl = simulator.urls().track();
 * }
 * }</pre>
 */
public final class CioSimulator implements AutoCloseable {

    private final WorkspaceRegistry registry = new WorkspaceRegistry();
    private final SimulatorServer server;
    private volatile SimulatorUrls urls;

    private CioSimulator(int eventLoops) {
        Dispatcher dispatcher = new Dispatcher(registry, () -> urls);
        this.server = new SimulatorServer(eventLoops, dispatcher);
    }

    /** Starts a simulator on a free port with one event loop per core. */
    public static CioSimulator start() {
        return start(0);
    }

    /** Starts a simulator on the given port (0 picks a free one) with one event loop per core. */
    public static CioSimulator start(int port) {
        return start(port, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Starts a simulator on the given port with the given number of event loops. */
    public static CioSimulator start(int port, int eventLoops) {
        CioSimulator simulator = new CioSimulator(eventLoops);
        try {
            int bound = simulator.server.start(port, eventLoops);
            simulator.urls = SimulatorUrls.forPort(bound);
            return simulator;
        } catch (RuntimeException e) {
            simulator.server.stop();
            throw e;
        }
    }

    public SimulatorUrls urls() {
        return urls;
    }

    public int port() {
        return server.port();
    }

    /** Creates a workspace; generating 100,000 people takes a fraction of a second. */
    public SandboxWorkspace createWorkspace(WorkspaceSpec spec) {
        return registry.create(spec);
    }

    public Optional<SandboxWorkspace> workspace(String siteId) {
        return Optional.ofNullable(registry.bySiteId(siteId));
    }

    public List<SandboxWorkspace> workspaces() {
        return registry.all();
    }

    /** Removes a workspace; its credentials stop working at once. Returns false when there was none. */
    public boolean removeWorkspace(String siteId) {
        return registry.remove(siteId);
    }

    @Override
    public void close() {
        server.stop();
    }
}
