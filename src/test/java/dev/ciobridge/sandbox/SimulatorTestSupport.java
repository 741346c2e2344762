package dev.ciobridge.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One simulator on a loopback port for a test class, a client for it, and a new workspace for each test. */
abstract class SimulatorTestSupport {

    static CioSimulator simulator;
    static SimulatorClient client;
    SandboxWorkspace workspace;

    @BeforeAll
    static void startSimulator() {
        simulator = CioSimulator.start();
        client = new SimulatorClient(simulator.urls());
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void createWorkspace() {
        workspace = simulator.createWorkspace(spec());
    }

    /** Returns the spec of each test's workspace. */
    WorkspaceSpec spec() {
        return WorkspaceSpec.defaults();
    }
}
