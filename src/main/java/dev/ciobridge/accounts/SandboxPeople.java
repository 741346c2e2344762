package dev.ciobridge.accounts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ciobridge.sandbox.EventRecord;
import dev.ciobridge.sandbox.PersonSnapshot;

/** The JSON shape of a sandbox person as cio-bridge shows it: identifiers, attributes and events. */
final class SandboxPeople {

    private SandboxPeople() {
    }

    static Map<String, Object> view(PersonSnapshot person) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sandbox", true);
        view.put("cio_id", person.cioId());
        view.put("id", person.id());
        view.put("email", person.email());
        view.put("attributes", person.attributes());
        List<Map<String, Object>> events = person.events().stream().map(SandboxPeople::event).toList();
        view.put("events", events);
        return view;
    }

    private static Map<String, Object> event(EventRecord event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", event.name());
        view.put("id", event.id());
        view.put("timestamp", event.timestamp());
        view.put("data", event.data());
        view.put("received_through", event.surface().toString());
        return view;
    }
}
