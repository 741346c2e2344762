package dev.ciobridge.outbox;

import java.util.List;

import dev.ciobridge.accounts.IntegratedAccount;

/** Operations of one account sent in one Track API request: a v2 batch, or a single operation. */
public record DeliveryBatch(IntegratedAccount account, List<OutboxRow> rows) {

    public boolean isSingle() {
        return rows.size() == 1;
    }
}
