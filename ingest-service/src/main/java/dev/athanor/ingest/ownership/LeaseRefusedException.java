package dev.athanor.ingest.ownership;

/** The run is owned by another live replica; {@link #holder()} says which and where. */
public final class LeaseRefusedException extends Exception {

    private final LeaseHolder holder;

    public LeaseRefusedException(LeaseHolder holder) {
        super("run " + holder.runId() + " is owned by ingest replica " + holder.owner() + " (" + holder.ownerAddress()
                + ") at epoch " + holder.epoch() + " until " + holder.expiresAt());
        this.holder = holder;
    }

    public LeaseHolder holder() {
        return holder;
    }
}
