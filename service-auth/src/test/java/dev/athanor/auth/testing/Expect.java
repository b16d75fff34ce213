package dev.athanor.auth.testing;

/**
 * What an auth-matrix row expects of its caller; the test-side mirror of
 * {@link dev.athanor.auth.Access} (a row may be stricter than its endpoint's rule where the service
 * checks a selection in the body or query).
 */
public enum Expect {
    /** answers without a token */
    PUBLIC,
    /** any token; another project's items are left out */
    LIST,
    /** the whole installation: platform:admin */
    PLATFORM,
    /** names a project's item (in the path or a selection): reader of it; another project's answers 404 */
    READ,
    /** changes something of an item: writer of its project (a reader gets 403), audited */
    WRITE,
    /** manages a project or purges: admin of it (a writer or reader gets 403), audited */
    ADMIN
}
