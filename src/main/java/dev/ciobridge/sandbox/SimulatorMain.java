package dev.ciobridge.sandbox;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator on its own with one ready workspace, printing the base URLs and the workspace's credentials.
 * Options: {@code --port N} (default 9100, 0 for any free port), {@code --people N} (default 1000),
 * {@code --deliveries N} (default 10000), {@code --seed N} (default 1). Stop it with Ctrl-C.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 9100;
        int people = 1000;
        int deliveries = 10_000;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + option);
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--people" -> people = Integer.parseInt(value);
                    case "--deliveries" -> deliveries = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> usage("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                usage(option + " must be an integer, was '" + value + "'");
            }
        }

        CioSimulator simulator;
        SandboxWorkspace workspace;
        try {
            simulator = CioSimulator.start(port);
            workspace = simulator.createWorkspace(WorkspaceSpec.defaults().withSeed(seed).withData(people, deliveries));
        } catch (IllegalArgumentException | IllegalStateException e) {
            usage(e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));

        SimulatorUrls urls = simulator.urls();
        WorkspaceCredentials credentials = workspace.credentials();
        System.out.println("Customer.io simulator (answers carry X-Cio-Sandbox: true)");
        System.out.println("  Track API      " + urls.track());
        System.out.println("  App API        " + urls.app());
        System.out.println("  Pipelines API  " + urls.pipelines());
        System.out.println("  Admin          " + urls.admin() + "/workspaces");
        System.out.println("Workspace \"" + workspace.name() + "\": " + people + " people, "
                + workspace.deliveryCount() + " deliveries, seed " + seed);
        System.out.println("  site id          " + credentials.siteId());
        System.out.println("  Track API key    " + credentials.trackApiKey());
        System.out.println("  App API key      " + credentials.appApiKey());
        System.out.println("  Pipelines key    " + credentials.pipelinesKey());
        System.out.println("  environment id   " + credentials.environmentId());
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("Error: " + problem);
        System.err.println("Usage: SimulatorMain [--port N] [--people N (max " + WorkspaceSpec.MAX_PEOPLE
                + ")] [--deliveries N (max " + WorkspaceSpec.MAX_DELIVERIES + ")] [--seed N]");
        System.exit(2);
    }
}
