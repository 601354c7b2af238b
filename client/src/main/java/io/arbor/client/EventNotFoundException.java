package io.arbor.client;

/** 404: no event has this id (GET /events/{eventId}, beyond api.md). */
public class EventNotFoundException extends ArborProblemException {
    public EventNotFoundException(Problem problem) {
        super(problem);
    }
}
