package dev.ciobridge.customerio;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

import dev.ciobridge.app.Settings;
import dev.ciobridge.sandbox.EmbeddedSandbox;

/**
 * Base URLs of the Track, App and Pipelines APIs per region: from the {@code customerio.<region>.*-url} properties
 * for the real regions, and from the embedded simulator for the sandbox.
 */
public final class CustomerIoHosts {

    public enum Api {
        TRACK("track-url"),
        APP("app-url"),
        PIPELINES("pipelines-url");

        private final String propertySuffix;

        Api(String propertySuffix) {
            this.propertySuffix = propertySuffix;
        }
    }

    private final Map<Region, Map<Api, String>> urls = new EnumMap<>(Region.class);
    private final EmbeddedSandbox sandbox;

    public CustomerIoHosts(Settings settings, EmbeddedSandbox sandbox) {
        this.sandbox = sandbox;
        for (Region region : new Region[] {Region.US, Region.EU}) {
            Map<Api, String> perApi = new EnumMap<>(Api.class);
            for (Api api : Api.values()) {
                String key = "customerio." + region.code() + "." + api.propertySuffix;
                String url = stripTrailingSlash(settings.required(key));
                URI.create(url);
                perApi.put(api, url);
            }
            urls.put(region, perApi);
        }
    }

    public String baseUrl(Region region, Api api) {
        if (region.isSandbox()) {
            return switch (api) {
                case TRACK -> sandbox.urls().track();
                case APP -> sandbox.urls().app();
                case PIPELINES -> sandbox.urls().pipelines();
            };
        }
        return urls.get(region).get(api);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
