package dev.athanor.tfevents.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventFileNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "events.out.tfevents.1795729060.vm.29596.0.v2",
        "events.out.tfevents.1795729075.vm",
        "events.out.tfevents.test",
        "events.out.tfevents.1713773043.carls-gaming-linux.286970.0",
        "events.out.tfevents.1585383831.YONGXIdeMacBook-Pro.local.66143.345.v2",
        "events.out.tfevents.1700000000.host.profile-empty"
    })
    void namesWritersUseAreEventFiles(String name) {
        assertThat(EventFileNames.isEventFile(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "events.out.tfevents.1795729075.vm.json",
        "events.out.tfevents.1795729075.vm.JSON",
        "notes-about-tfevents.md",
        "checkpoint",
        "model.ckpt-100.index",
        "plugins.trace.json.gz"
    })
    void otherFilesAreNot(String name) {
        assertThat(EventFileNames.isEventFile(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1795729060})
    void writerNamesAreRecognisedAndSortByTime(long seconds) {
        String name = EventFileNames.name(seconds, "host", 42, 7, ".v2");
        assertThat(name).isEqualTo("events.out.tfevents." + seconds + ".host.42.7.v2");
        assertThat(EventFileNames.isEventFile(name)).isTrue();
    }
}
