package dev.ciobridge.webhooks;

import java.time.Duration;

import org.apache.camel.Exchange;

import dev.ciobridge.accounts.AccountStore;
import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.ApiException;

/** Shared state of the webhook processors: the account lookup, the signature tolerance and exchange variable names. */
public final class WebhookContext {

    /** Exchange variable holding the webhook source ({@code stripe}, {@code events}). */
    public static final String SOURCE = "source";
    /** Exchange variable holding the {@link IntegratedAccount} the webhook is for. */
    public static final String ACCOUNT = "account";
    /** Exchange variable holding the {@code IntakeRequest} to store. */
    public static final String INTAKE = "intake";

    private final AccountStore accounts;
    private final Duration tolerance;

    public WebhookContext(AccountStore accounts, Duration tolerance) {
        this.accounts = accounts;
        this.tolerance = tolerance;
    }

    public Duration tolerance() {
        return tolerance;
    }

    /** Resolves the account named by the {@code accountId} path parameter and the signing secret of the source. */
    public IntegratedAccount account(Exchange exchange, String source) {
        String accountId = exchange.getIn().getHeader("accountId", String.class);
        if (accountId == null || accountId.isBlank()) {
            throw ApiException.notFound("The webhook path must end with an integrated account id");
        }
        IntegratedAccount account = accounts.find(accountId)
                .orElseThrow(() -> ApiException.notFound("No integrated account with id '" + accountId + "'"));
        if (account.webhookSecret(source).isEmpty()) {
            throw new ApiException(403, "Integrated account " + accountId + " has no '" + source
                    + "' signing secret (webhook_secrets." + source + "), so its " + source + " webhooks cannot be verified");
        }
        exchange.setVariable(ACCOUNT, account);
        exchange.setVariable(SOURCE, source);
        return account;
    }

    public static byte[] rawBody(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }
}
