package dev.athanor.query.compare.service;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a metric is better low (a loss, an error) or high (an accuracy), which decides what "best"
 * means in a comparison. TensorBoard's event files do not say, so it is read off the tag's name:
 * a word of the tag (split at anything not a letter or digit) that names a cost — loss, error,
 * perplexity, mse, … — makes it {@link #MIN} (so {@code top1_error} is one), else a word that names a
 * score — accuracy, auc, precision, recall, f1, iou, bleu, reward, … — makes it {@link #MAX}; anything
 * else is {@link #MIN}. A request may say otherwise per tag.
 */
public enum MetricGoal {
    MIN, MAX;

    /** Words (or word prefixes, for acc/accuracy, precision@k, top1/top5) that name a higher-is-better score. */
    private static final Set<String> SCORES = Set.of("acc", "accuracy", "auc", "auroc", "precision", "recall", "f1",
            "fscore", "iou", "miou", "map", "bleu", "rouge", "meteor", "reward", "return", "r2", "ap", "ndcg", "mrr",
            "score", "dice", "psnr", "ssim", "hit", "hits", "top1", "top5", "correct", "success");

    /** Words that name a lower-is-better quantity; they win over a score word in the same tag. */
    private static final Set<String> COSTS = Set.of("loss", "error", "err", "errors", "mse", "mae", "rmse", "nll",
            "perplexity", "ppl", "wer", "cer", "cost", "regret", "distance", "divergence", "kl");

    public static MetricGoal guess(String tag) {
        String[] words = tag.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        for (String word : words) {
            if (COSTS.contains(word)) {
                return MIN;
            }
        }
        for (String word : words) {
            if (SCORES.contains(word) || word.startsWith("acc") && !word.startsWith("accum")) {
                return MAX;
            }
        }
        return MIN;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
