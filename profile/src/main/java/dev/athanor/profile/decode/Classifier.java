package dev.athanor.profile.decode;

import java.util.Locale;

/** Name rules both formats share: what counts as input pipeline, copy or collective. */
final class Classifier {

    private Classifier() {
    }

    static boolean input(String name) {
        return name.startsWith("Iterator::") || name.contains("IteratorGetNext") || name.contains("DataLoader")
                || name.startsWith("tf.data") || name.startsWith("Prefetch");
    }

    static boolean copyOrCollective(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("memcpy") || n.contains("memset") || n.contains("nccl") || n.contains("all-reduce")
                || n.contains("allreduce") || n.contains("all-gather") || n.contains("allgather")
                || n.contains("reduce-scatter") || n.contains("collective-permute") || n.startsWith("send")
                || n.startsWith("recv");
    }
}
