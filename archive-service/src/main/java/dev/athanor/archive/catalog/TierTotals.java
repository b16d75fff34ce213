package dev.athanor.archive.catalog;

/**
 * What the catalog says about the archive right now.
 *
 * @param hotBytes      sealed or open segment bytes still on hot storage (this node, or all)
 * @param warmBytes     verified bytes in the warm tier of the store
 * @param coldBytes     verified bytes in the cold tier of the store
 * @param pending       sealed hot segments without a verified copy (including those backing off)
 * @param failed        segments whose last attempt failed
 * @param refused       segments that cannot be archived as they are
 */
public record TierTotals(long hotBytes, long warmBytes, long coldBytes, long pending, long failed, long refused) {
}
