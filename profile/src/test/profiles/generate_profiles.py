"""Writes real profiler traces with the real frameworks, plus what each framework's own tools say
about them (expected.json), for query-service's profile decoder tests.

    python generate_profiles.py OUT_DIR [--tf] [--torch]

OUT_DIR/torch/<worker>.<timestamp>.pt.trace.json.gz                 torch.profiler + tensorboard_trace_handler
                                                                    (into the run directory, as users point it)
OUT_DIR/tf/plugins/profile/<session>/<host>.xplane.pb               Keras TensorBoard(profile_batch=(2, 4))
OUT_DIR/*/expected.json  steps, and per op name: count and self time (µs), from
  prof.key_averages() (PyTorch) and from the XPlane itself read with TensorFlow's own xplane_pb2 (TF).
"""
import glob
import json
import os
import sys


def torch_trace(out):
    import torch
    from torch.profiler import ProfilerActivity, profile, schedule, tensorboard_trace_handler

    logdir = os.path.join(out, "torch")
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(512, 64),
                                                                      torch.randint(0, 10, (512,))), batch_size=32)
    steps = 0
    with profile(activities=[ProfilerActivity.CPU], schedule=schedule(wait=1, warmup=1, active=3, repeat=1),
                 on_trace_ready=tensorboard_trace_handler(logdir, use_gzip=True),
                 profile_memory=True, record_shapes=False) as prof:
        for x, y in data:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            prof.step()
            steps += 1
            if steps >= 6:
                break
    ops = {}
    for avg in prof.key_averages():
        ops[avg.key] = {"count": avg.count, "selfUs": avg.self_cpu_time_total, "totalUs": avg.cpu_time_total}
    files = glob.glob(os.path.join(logdir, "*.pt.trace.json*"))
    return {"framework": "torch " + torch.__version__, "files": [os.path.relpath(f, logdir) for f in files],
            "steps": 3, "ops": ops}


def tf_trace(out):
    import numpy as np
    import tensorflow as tf
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    logdir = os.path.join(out, "tf")
    model = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(128, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    model.compile(optimizer="sgd", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.randn(512, 64).astype("float32")
    y = np.random.randint(0, 10, 512)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    model.fit(ds, epochs=1, callbacks=[tf.keras.callbacks.TensorBoard(logdir, profile_batch=(2, 4))], verbose=0)
    files = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
    # The framework's own reading of its file: event counts and self-less durations per plane and name.
    space = xplane_pb2.XSpace()
    with open(files[0], "rb") as f:
        space.ParseFromString(f.read())
    planes = {}
    for plane in space.planes:
        names = {k: v.name for k, v in plane.event_metadata.items()}
        counts = {}
        for line in plane.lines:
            for ev in line.events:
                c = counts.setdefault(names.get(ev.metadata_id, "?"), {"count": 0, "totalPs": 0})
                c["count"] += 1
                c["totalPs"] += ev.duration_ps
        planes[plane.name] = {"lines": [l.name for l in plane.lines], "events": counts}
    return {"framework": "tensorflow " + tf.__version__, "files": [os.path.relpath(f, logdir) for f in files],
            "planes": planes}


if __name__ == "__main__":
    out = sys.argv[1]
    which = set(sys.argv[2:]) or {"--tf", "--torch"}
    for flag, make, name in (("--torch", torch_trace, "torch"), ("--tf", tf_trace, "tf")):
        if flag in which:
            expected = make(out)
            with open(os.path.join(out, name, "expected.json"), "w") as f:
                json.dump(expected, f, indent=1, sort_keys=True)
            print(name, expected["files"])
