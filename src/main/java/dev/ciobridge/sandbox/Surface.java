package dev.ciobridge.sandbox;

/** The API surfaces the simulator serves, each under its own base URL. */
public enum Surface {
    TRACK,
    APP,
    PIPELINES,
    ADMIN
}
