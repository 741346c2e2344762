package dev.ciobridge.accounts;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of an account in API responses: every secret masked, the webhook paths spelled out. */
final class AccountView {

    /** Key of the sandbox data settings (seed and size) kept with the masked view of a sandbox account. */
    static final String SANDBOX_SETTINGS = "sandbox_data";

    private AccountView() {
    }

    static Map<String, Object> of(IntegratedAccount account) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", account.id());
        view.put("name", account.name());
        view.put("region", account.region().code());
        // Said on every account, so that a sandbox account is never taken for a real workspace.
        view.put("sandbox", account.region().isSandbox());
        view.put("site_id", account.siteId());
        view.put("environment_id", account.environmentId());
        view.putAll(account.masked());
        Map<String, String> webhooks = new LinkedHashMap<>();
        webhooks.put("stripe", "/webhooks/stripe/" + account.id());
        webhooks.put("events", "/webhooks/events/" + account.id());
        view.put("webhook_paths", webhooks);
        view.put("created_at", AccountService.isoTime(account.createdAt()));
        return view;
    }
}
