"""Prints TensorBoard's own migrated view of event files, one JSON object per line.

Used by TensorBoardCrossCheckTest: it reads each file with TensorBoard's EventFileLoader (which
applies data_compat and dataclass_compat, exactly what TensorBoard's UI is served from) and
prints, for every Summary.Value of the migrated events, its tag, step, the plugin and data class
of the tag's first value, and the tensor: dtype, shape and elements (numbers as floats, with
"NaN"/"Infinity"/"-Infinity"; strings as sha256 hex digests and lengths).

usage: python migrated_view.py FILE...
"""
import hashlib
import json
import math
import sys

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.compat.proto import summary_pb2, types_pb2
from tensorboard.util import tensor_util


def number(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def elements(tensor):
    if tensor.dtype == types_pb2.DT_STRING:
        array = tensor_util.make_ndarray(tensor).reshape(-1)
        return [{"len": len(s), "sha256": hashlib.sha256(s).hexdigest()} for s in array.tolist()]
    array = tensor_util.make_ndarray(tensor).reshape(-1)
    return [number(x) for x in array.tolist()]


def main(paths):
    for path in paths:
        first = {}
        for event in event_file_loader.EventFileLoader(path).Load():
            if not event.HasField("summary"):
                continue
            for value in event.summary.value:
                if value.tag not in first:
                    first[value.tag] = (value.metadata.plugin_data.plugin_name, value.metadata.data_class)
                plugin, data_class = first[value.tag]
                tensor = value.tensor
                print(json.dumps({
                    "file": path,
                    "tag": value.tag,
                    "step": event.step,
                    "plugin": plugin,
                    "data_class": summary_pb2.DataClass.Name(data_class),
                    "dtype": types_pb2.DataType.Name(tensor.dtype),
                    "shape": [d.size for d in tensor.tensor_shape.dim],
                    "elements": elements(tensor),
                }))


if __name__ == "__main__":
    main(sys.argv[1:])
