"""Computes extra conformance cases with the reference stack (TensorFlow 2 + Sonnet 2).

The shared fixtures cover one or two configurations per module kind; these cover more of the
documented schema (VALID padding, rectangular kernels and strides, no bias, batch size one, large
magnitudes, all-zero images). Same file format as the shared fixtures' README describes.

Run (with the venv from ../../shared/tools/reference-bench/README.md):
    /tmp/tfenv/bin/python Scripts/make_extra_fixtures.py Tests/FTWConformanceTests/Fixtures/extra
"""
import json
import os
import struct
import sys

import numpy as np
import sonnet as snt
import tensorflow as tf


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for key in sorted(tensors):
        value = np.ascontiguousarray(tensors[key])
        dtype = {np.dtype("float32"): "F32", np.dtype("int32"): "I32"}[value.dtype]
        data = value.tobytes()
        header[key] = {"dtype": dtype, "shape": list(value.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def variables_by_path(module):
    """Object path of every variable of `module` (attribute names joined by '/')."""
    paths = {}
    for path, value in module._flatten(with_path=True, predicate=lambda v: isinstance(v, tf.Variable)):
        paths["/".join(str(p) for p in path)] = value
    return paths


def run_case(path, kind, config, module, inputs, forward, rng, note=""):
    with tf.GradientTape(persistent=True) as tape:
        watched = {k: tf.constant(v) for k, v in inputs.items()}
        for v in watched.values():
            if v.dtype == tf.float32:
                tape.watch(v)
        outputs = forward(module, watched)
    variables = variables_by_path(module)
    cotangents = {k: rng.standard_normal(v.shape).astype(np.float32) for k, v in outputs.items()}
    with tape:
        loss = tf.add_n([tf.reduce_sum(outputs[k] * cotangents[k]) for k in outputs])
    tensors = {f"params/{k}": v.numpy() for k, v in variables.items()}
    tensors.update({f"inputs/{k}": v for k, v in inputs.items()})
    tensors.update({f"outputs/{k}": v.numpy() for k, v in outputs.items()})
    tensors.update({f"cotangents/{k}": v for k, v in cotangents.items()})
    trainable = sorted(k for k, v in variables.items() if v.trainable)
    grads = tape.gradient(loss, [variables[k] for k in trainable])
    tensors.update({f"grads/params/{k}": g.numpy() for k, g in zip(trainable, grads)})
    float_inputs = sorted(k for k, v in inputs.items() if v.dtype == np.float32)
    input_grads = tape.gradient(loss, [watched[k] for k in float_inputs])
    tensors.update({f"grads/inputs/{k}": g.numpy() for k, g in zip(float_inputs, input_grads)})
    metadata = {
        "module": kind, "config": json.dumps(config), "note": note, "trainable": json.dumps(trainable),
        "sonnet_names": json.dumps({k: v.name.split(":")[0] for k, v in variables.items()}),
    }
    write_safetensors(path, tensors, metadata)


def perturb_variables(module, rng):
    """Random, non-default values for every variable (biases too), so every gradient is exercised."""
    for v in module.trainable_variables:
        v.assign(rng.standard_normal(v.shape).astype(np.float32) * 0.5)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(2026)

    def normal(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def build_and_run(name, kind, config, make, inputs, forward, note=""):
        module = make()
        forward(module, {k: tf.constant(v) for k, v in inputs.items()})  # creates the variables
        perturb_variables(module, rng)
        run_case(os.path.join(out_dir, name + ".safetensors"), kind, config, module, inputs, forward, rng, note)

    linear = lambda m, i: {"y": m(i["x"])}
    conv = lambda m, i: {"y": m(i["x"])}

    for name, config, x in [
        ("extra_linear_no_bias", {"output_size": 3, "with_bias": False}, normal(5, 4)),
        ("extra_linear_batch_one_large", {"output_size": 9}, normal(1, 33, scale=30.0)),
    ]:
        build_and_run(name, "Linear", config, lambda: snt.Linear(config["output_size"], with_bias=config.get("with_bias", True)), {"x": x}, linear)

    for name, config, x in [
        ("extra_conv2d_valid_rect", {"output_channels": 3, "kernel_shape": [3, 5], "stride": [2, 1], "padding": "VALID"}, normal(2, 9, 12, 2)),
        ("extra_conv2d_same_stride3_k1", {"output_channels": 2, "kernel_shape": 1, "stride": 3, "padding": "SAME"}, normal(1, 7, 8, 3)),
        ("extra_conv2d_zero_image", {"output_channels": 4, "kernel_shape": 8, "stride": 4}, np.zeros((1, 21, 21, 3), np.float32)),
        ("extra_conv2d_same_even_rect", {"output_channels": 2, "kernel_shape": [2, 4], "stride": [1, 3], "padding": "SAME"}, normal(2, 6, 10, 2, scale=10.0)),
    ]:
        make = lambda c=config: snt.Conv2D(c["output_channels"], c["kernel_shape"], stride=c.get("stride", 1), padding=c.get("padding", "SAME"))
        build_and_run(name, "Conv2D", config, make, {"x": x}, conv)

    for name, config, x in [
        ("extra_conv2d_transpose_valid_default", {"output_channels": 2, "kernel_shape": 3, "stride": 2, "padding": "VALID", "output_shape": None}, normal(2, 4, 5, 3)),
        ("extra_conv2d_transpose_rect", {"output_channels": 3, "kernel_shape": [3, 2], "stride": [2, 3], "padding": "SAME", "output_shape": [7, 9]}, normal(1, 4, 3, 2)),
        ("extra_conv2d_transpose_valid_shape", {"output_channels": 1, "kernel_shape": 4, "stride": 2, "padding": "VALID", "output_shape": [11, 10]}, normal(2, 4, 4, 2)),
    ]:
        make = lambda c=config: snt.Conv2DTranspose(c["output_channels"], c["kernel_shape"], output_shape=c["output_shape"], stride=c["stride"], padding=c["padding"])
        build_and_run(name, "Conv2DTranspose", config, make, {"x": x}, conv)

    def lstm_forward(m, i):
        x = i["x"]
        hidden_seq, final = snt.static_unroll(m, x, m.initial_state(x.shape[1]))
        return {"hidden_seq": hidden_seq, "final/hidden": final.hidden, "final/cell": final.cell}

    for name, config, x in [
        ("extra_lstm_one_step_batch_one", {"hidden_size": 1}, normal(1, 1, 3)),
        ("extra_lstm_large_inputs", {"hidden_size": 5}, normal(7, 2, 3, scale=20.0)),
    ]:
        build_and_run(name, "LSTM", config, lambda c=config: snt.LSTM(c["hidden_size"]), {"x": x}, lstm_forward, "static_unroll from zero state; x is [T,B,D]")


if __name__ == "__main__":
    main(sys.argv[1])
