package dev.athanor.query.compare.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricGoalTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "loss, MIN", "train/loss, MIN", "val_loss, MIN", "epoch_accuracy, MAX", "validation/epoch_accuracy, MAX",
            "val_acc, MAX", "acc@1, MAX", "top1, MAX", "top1_error, MIN", "eval/auc, MAX", "f1, MAX", "mAP, MAX",
            "bleu_score, MAX", "episode_reward, MAX", "perplexity, MIN", "learning_rate, MIN", "accumulated_steps, MIN",
            "heatmap_entropy, MIN", "precision@5, MAX", "mse, MIN", "kl_divergence, MIN"})
    void theGoalIsReadOffTheTagsWords(String tag, MetricGoal goal) {
        assertThat(MetricGoal.guess(tag)).isEqualTo(goal);
    }
}
