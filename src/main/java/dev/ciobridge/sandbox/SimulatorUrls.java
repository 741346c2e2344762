package dev.ciobridge.sandbox;

/**
 * The base URLs of a running simulator.
 *
 * @param base {@code http://127.0.0.1:<port>}
 * @param track Track API base (paths {@code /api/v1/...}, {@code /api/v2/...}, {@code /unsubscribe/...})
 * @param app App API base (paths {@code /v1/...})
 * @param pipelines Pipelines API base (paths {@code /v1/identify}, {@code /v1/track}, ...)
 * @param admin simulator administration base ({@code /workspaces}, ...)
 */
public record SimulatorUrls(String base, String track, String app, String pipelines, String admin) {

    static SimulatorUrls forPort(int port) {
        String base = "http://" + SimulatorServer.HOST + ":" + port;
        return new SimulatorUrls(base, base + Dispatcher.TRACK_BASE, base + Dispatcher.APP_BASE,
                base + Dispatcher.PIPELINES_BASE, base + Dispatcher.ADMIN_BASE);
    }
}
