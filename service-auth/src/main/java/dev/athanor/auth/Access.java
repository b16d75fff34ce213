package dev.athanor.auth;

/**
 * What an endpoint (a REST path and method, or a gRPC method) asks of its caller: the vocabulary of
 * every service's {@link AccessRules}.
 */
public enum Access {
    /** Answers without a token: only what a client needs before it can sign in, never data. */
    PUBLIC,
    /**
     * Any verified caller; the service itself narrows what it answers to the caller's projects (lists,
     * searches, a selection named in the body, an RPC naming its experiment).
     */
    SIGNED_IN,
    /** The whole installation: the platform role {@value ProjectGrants#PLATFORM_ADMIN}. */
    PLATFORM_ADMIN,
    /**
     * The project the path names ({@code {project}}, or the project of an item id such as
     * {@code {runId}}): the rule's role there; no role at all there is 404, as if it did not exist.
     */
    PROJECT
}
