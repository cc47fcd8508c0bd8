"""Computes extra conformance cases with the reference stack (TensorFlow 2 + Sonnet 2).

The shared fixtures cover one or two configurations per module kind; these cover more of the
documented schema (VALID padding, rectangular kernels and strides, no bias, batch size one, large
magnitudes, all-zero images). Same file format as the shared fixtures' README describes.

The network kinds use the reference library itself (RaoulDrake/ftw), loaded through the
reference bench's shim: FTW_REF names the folder holding its `ftw/` package. RPTH's posterior
sample is made reproducible by handing it a diagonal normal whose `sample()` is `loc + scale * eps`
with recorded standard-normal `eps` (stored as `noise/eps`).

Run (with the venv from shared/tools/reference-bench/README.md):
    FTW_REF=/tmp/ref /tmp/tfenv/bin/python Scripts/make_extra_fixtures.py \
        Tests/FTWConformanceTests/Fixtures/extra ../shared/tools/reference-bench
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
    """Object path of every variable of `module` (attribute names joined by '/').

    A variable reachable along several paths (a shared module) is listed once, under its shortest
    path, ties broken by sorted order: where TensorFlow checkpoints store it.
    """
    best = {}
    for path, value in module._flatten(with_path=True, predicate=lambda v: isinstance(v, tf.Variable)):
        key = "/".join(str(p) for p in path)
        rank = (len(path), key)
        if id(value) not in best or rank < best[id(value)][0]:
            best[id(value)] = (rank, key, value)
    return {key: value for _, key, value in best.values()}


def run_case(path, kind, config, module, inputs, forward, rng, note="", noise=None):
    with tf.GradientTape(persistent=True) as tape:
        watched = {k: tf.constant(v) for k, v in inputs.items()}
        for v in watched.values():
            if v.dtype == tf.float32:
                tape.watch(v)
        outputs = forward(module, watched)
    variables = variables_by_path(module)
    cotangents = {
        k: rng.standard_normal(v.shape).astype(np.float32) for k, v in outputs.items() if k != "final/step"
    }
    with tape:
        loss = tf.add_n([tf.reduce_sum(outputs[k] * cotangents[k]) for k in cotangents])
    tensors = {f"params/{k}": v.numpy() for k, v in variables.items()}
    tensors.update({f"inputs/{k}": v for k, v in inputs.items()})
    if noise is not None:
        tensors["noise/eps"] = noise
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


def main(out_dir, shim_dir):
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


    network_cases(out_dir, shim_dir, rng, normal, build_and_run)


def flatten_named(prefix, value):
    """(name, tensor) leaves of a nested namedtuple/tuple, named by field names and indices."""
    if isinstance(value, tf.Tensor):
        return [(prefix, value)]
    if hasattr(value, "_fields"):
        items = [(f, getattr(value, f)) for f in value._fields]
    else:
        items = [(str(i), v) for i, v in enumerate(value)]
    out = []
    for name, item in items:
        out += flatten_named(f"{prefix}/{name}" if prefix else name, item)
    return out


SLOT_INDEXED = ("memory", "usage", "link", "precedence_weights", "read_weights", "write_weights")


def outputs_with_final(outputs, final_state):
    """Adds `final/...` leaves, leaving out the DNC's slot-indexed state (see the fixtures' README)."""
    for name, tensor in flatten_named("final", final_state):
        if not any(f"/{part}" in name for part in SLOT_INDEXED):
            outputs[name] = tensor
    return outputs


class RecordedNoise:
    """Stands in for tfp's diagonal normals in RPTH: sample() is loc + scale * the next recorded eps."""

    def __init__(self):
        self.eps = []
        self.position = 0

    def distribution(self, loc=None, scale_diag=None, scale=None, **_):
        noise = self
        scale = scale_diag if scale_diag is not None else scale

        class Sample:
            def sample(self, name=None):
                eps = noise.eps[noise.position]
                noise.position += 1
                return loc + scale * eps

        return Sample()

    def namespace(self):
        import types
        return types.SimpleNamespace(
            MultivariateNormalDiag=self.distribution, Normal=self.distribution, Independent=lambda d: d)


def network_cases(out_dir, shim_dir, rng, normal, build_and_run):
    sys.path.insert(0, shim_dir)
    import refshim
    M = refshim.load()

    def torso(config):
        kwargs = dict(config)
        if "activation" in kwargs:
            kwargs["activation"] = {"relu": tf.nn.relu, "tanh": tf.nn.tanh, "elu": tf.nn.elu}[kwargs["activation"]]
        return M.vision.FtwTorso(**kwargs)

    activations = {"relu": tf.nn.relu, "tanh": tf.nn.tanh, "elu": tf.nn.elu}

    # Vision.
    for name, config, x in [
        ("extra_ftw_torso_elu_one_conv", {"conv_filters": [[4, 5, 3]], "residual_filters": [[4, 3, 1], [4, 3, 1], [4, 1, 1]], "hidden_size": 7, "activation": "elu", "activate_last": True}, normal(1, 10, 7, 2)),
        ("extra_ftw_torso_tanh_no_residual", {"conv_filters": [[3, 3, 1], [5, 2, 2]], "residual_filters": [], "hidden_size": 6, "activation": "tanh"}, normal(2, 9, 9, 1)),
        ("extra_ftw_torso_zero_image", {"conv_filters": [[4, 8, 4]], "residual_filters": [[4, 3, 1]], "hidden_size": 5}, np.zeros((2, 21, 21, 3), np.float32)),
    ]:
        build_and_run(name, "FtwTorso", config, lambda c=config: torso(c), {"observation": x},
                      lambda m, i: {"embedding": m(i["observation"])})

    # Heads and distributions.
    build_and_run("extra_policy_value_head_batch_one", "PolicyValueHead", {"num_actions": 1, "hidden_size": 3},
                  lambda: M.policy_value.PolicyValueHead(num_actions=1, hidden_size=3), {"x": normal(1, 4)},
                  lambda m, i: dict(zip(("logits", "value"), m(i["x"]))))
    build_and_run("extra_mvn_loc_scale_head_fixed", "MultivariateNormalDiagLocScaleHead",
                  {"num_dimensions": 2, "fixed_scale": True, "init_scale": 0.7},
                  lambda: M.distributional.MultivariateNormalDiagLocScaleHead(num_dimensions=2, fixed_scale=True, init_scale=0.7),
                  {"x": normal(3, 5, scale=20.0)}, lambda m, i: dict(zip(("loc", "scale"), m(i["x"]))))

    def head_outputs(m, i):
        d = m(i["x"])
        return {"mean": d.mean(), "stddev": d.stddev(), "log_prob": d.log_prob(i["value"]), "entropy": d.entropy()}

    build_and_run("extra_mvn_diag_head_independent_tanh", "MultivariateNormalDiagHead",
                  {"num_dimensions": 3, "use_tfd_independent": True, "tanh_mean": True, "min_scale": 0.01},
                  lambda: M.distributional.MultivariateNormalDiagHead(num_dimensions=3, use_tfd_independent=True, tanh_mean=True, min_scale=0.01),
                  {"x": normal(2, 4), "value": normal(2, 3)}, head_outputs)

    # Embedding.
    small_torso = {"conv_filters": [[3, 3, 2]], "hidden_size": 5, "residual_filters": [[3, 3, 1]]}
    for name, config, inputs in [
        ("extra_oar_embedding_one_event", {"num_actions": [2, 3], "internal_rewards": {"num_events": 1, "init_value": 0.8}, "reward": "scalar", "torso": small_torso},
         {"observation": normal(2, 7, 6, 3), "action/0": np.array([1, 0], np.int32), "action/1": np.array([2, 1], np.int32), "reward": normal(2, scale=3.0)}),
        ("extra_oar_embedding_events_no_internal", {"num_actions": 4, "internal_rewards": None, "reward": "events", "torso": small_torso},
         {"observation": normal(1, 6, 6, 3), "action": np.array([3], np.int32), "reward": normal(1, 3)}),
    ]:
        def make(c=config):
            internal = None
            if c["internal_rewards"]:
                internal = M.internal_reward.InternalRewards(num_events=c["internal_rewards"]["num_events"],
                                                             init_value_or_range=c["internal_rewards"]["init_value"])
            return M.embedding.OAREmbedding(torso=torso(c["torso"]), num_actions=c["num_actions"], internal_rewards=internal)

        def forward(m, i, c=config):
            action = i["action"] if "action" in i else [i[f"action/{k}"] for k in range(len(c["num_actions"]))]
            return {"embedding": m(M.OAR(observation=i["observation"], action=action, reward=i["reward"]))}

        build_and_run(name, "OAREmbedding", config, make, inputs, forward)

    # Auxiliary.
    build_and_run("extra_pixel_control_elu_one_action", "PixelControl", {"num_actions": 1, "activation": "elu"},
                  lambda: M.auxiliary.PixelControl(num_actions=1, activation=tf.nn.elu), {"x": normal(1, 3)},
                  lambda m, i: {"q": m(i["x"])})
    build_and_run("extra_reward_prediction_tanh", "RewardPrediction", {"hidden_size": 4, "activation": "tanh"},
                  lambda: M.auxiliary.RewardPrediction(hidden_size=4, activation=tf.nn.tanh), {"x": normal(2, 6)},
                  lambda m, i: {"logits": m(i["x"])})
    build_and_run("extra_reward_prediction_network_two_frames", "RewardPredictionNetwork", {"hidden_size": 5, "torso": small_torso},
                  lambda: M.auxiliary.RewardPredictionNetwork(embed=torso(small_torso), hidden_size=5),
                  {"observation": normal(1, 2, 8, 8, 3)}, lambda m, i: {"logits": m(i["observation"])})

    def pixel_control_network(c):
        return M.auxiliary.RNNPixelControlNetwork(embed=torso(c["torso"]), core=snt.LSTM(c["core"]["lstm_hidden_size"]), num_actions=c["num_actions"])

    config = {"num_actions": 2, "core": {"lstm_hidden_size": 3}, "torso": small_torso}
    build_and_run("extra_rnn_pixel_control_batch_one", "RNNPixelControlNetwork", config, lambda: pixel_control_network(config),
                  {"observation": normal(2, 1, 6, 5, 3)},
                  lambda m, i: {"q": m.unroll(i["observation"], m.initial_state(1))})

    # Memory.
    def memory(c):
        return M.access.MemoryAccess(memory_size=c.get("memory_size", 128), word_size=c.get("word_size", 20),
                                     num_reads=c.get("num_reads", 1), num_writes=c.get("num_writes", 1))

    def unroll(core, x, extract=lambda o: o):
        outputs, final = snt.static_unroll(core, x, core.initial_state(x.shape[1]))
        return extract(outputs), final

    two_writers = {"memory_size": 6, "word_size": 4, "num_reads": 3, "num_writes": 2}
    build_and_run("extra_memory_access_two_writes", "MemoryAccess", two_writers, lambda: memory(two_writers),
                  {"x": normal(5, 1, 7)},
                  lambda m, i: {"read_words": unroll(m, i["x"])[0]})

    def dnc_forward(m, i):
        output, final = unroll(m, i["x"])
        return outputs_with_final({"output": output}, final)

    config = {"hidden_size": 5, "memory": two_writers}
    build_and_run("extra_dnc_wrapper_no_output_layer", "DNCWrapper", config,
                  lambda: M.recurrence.DNCWrapper(lstm=snt.LSTM(5), memory=memory(two_writers)), {"x": normal(4, 2, 3)}, dnc_forward)

    def unit_kwargs(c):
        kwargs = {k: v for k, v in c.items() if k not in ("memory",)}
        if "memory" in c:
            kwargs["shared_memory"] = memory(c["memory"])
        return kwargs

    def unit_forward(m, i):
        params, final = unroll(m, i["x"])
        return outputs_with_final({"loc": params.loc, "scale": params.scale}, final)

    small_memory = {"memory_size": 5, "word_size": 3, "num_reads": 1, "num_writes": 1}
    for name, kind, config, x in [
        ("extra_variational_unit_memory_no_projection", "VariationalUnit",
         {"hidden_size": 4, "num_dimensions": 2, "memory": small_memory, "use_dnc_linear_projection": False, "dnc_clip_value": 0.5, "fixed_scale": True},
         normal(4, 2, 3)),
        ("extra_periodic_variational_unit_period_two", "PeriodicVariationalUnit",
         {"period": 2, "hidden_size": 3, "num_dimensions": 2, "tanh_mean": True, "min_scale": 0.1}, normal(6, 1, 2)),
    ]:
        cls = M.recurrence.VariationalUnit if kind == "VariationalUnit" else M.recurrence.PeriodicVariationalUnit
        build_and_run(name, kind, config, lambda c=config, cls=cls: cls(**unit_kwargs(c)), {"x": x}, unit_forward)

    # RPTH and the FTW network, with recorded noise.
    def rpth_case(name, config, x):
        noise = RecordedNoise()
        T, B = x.shape[0], x.shape[1]
        eps = normal(T, B, config.get("num_dimensions", 256))
        M.recurrence.tfd = noise.namespace()

        def make(c=config):
            kwargs = unit_kwargs(c)
            return M.recurrence.RPTH(**kwargs)

        def forward(m, i):
            noise.eps, noise.position = list(eps), 0
            output, final = unroll(m, i["x"])
            named = dict(flatten_named("", output))
            return outputs_with_final(named, final)

        module = make()
        forward(module, {"x": tf.constant(x)})
        perturb_variables(module, rng)
        run_case(os.path.join(out_dir, name + ".safetensors"), "RPTH", config, module, {"x": x}, forward, rng,
                 "z_t = loc_t + scale_t * noise/eps[t]", noise=eps)

    rpth_case("extra_rpth_two_slow_cores", {"period": [2, 5], "hidden_size": 4, "num_dimensions": 3, "scale_gradients_fast_to_slow": 0.3}, normal(6, 2, 3))
    rpth_case("extra_rpth_unsorted_periods_memory", {"period": [2, 3], "strict_period_order": False, "hidden_size": 4, "num_dimensions": 2,
                                                     "memory": {"memory_size": 4, "word_size": 3, "num_reads": 2, "num_writes": 2}, "use_tfd_independent": True, "dnc_clip_value": 3.0},
              normal(5, 1, 3))

    config = {"num_actions": 3, "head_hidden_size": 5, "rpth": {"period": 2, "hidden_size": 4, "num_dimensions": 3},
              "torso": {"conv_filters": [[3, 4, 2]], "residual_filters": [[3, 3, 1]], "hidden_size": 6}}
    noise = RecordedNoise()
    M.recurrence.tfd = noise.namespace()
    T, B = 3, 1
    eps = normal(T, B, 3)
    inputs = {"observation": normal(T, B, 11, 9, 3), "action": rng.integers(0, 3, (T, B)).astype(np.int32), "reward": normal(T, B)}

    def make_network(c=config):
        embed = M.embedding.OAREmbedding(torso=torso(c["torso"]), num_actions=c["num_actions"])
        return M.ftw_network.FtwNetwork(embed=embed, core=M.recurrence.RPTH(**c["rpth"]), num_actions=c["num_actions"],
                                        head_hidden_size=c["head_hidden_size"])

    def network_forward(m, i):
        noise.eps, noise.position = list(eps), 0
        oar = M.OAR(observation=i["observation"], action=i["action"], reward=i["reward"])
        (logits, values, core_output), final = m.unroll(oar, m.initial_state(B))
        named = dict(flatten_named("", core_output))
        named.update({"logits": logits, "values": values})
        return outputs_with_final(named, final)

    module = make_network()
    network_forward(module, {k: tf.constant(v) for k, v in inputs.items()})
    perturb_variables(module, rng)
    run_case(os.path.join(out_dir, "extra_ftw_network_batch_one.safetensors"), "FtwNetwork", config, module, inputs,
             network_forward, rng, "FtwNetwork.unroll over OAR [T,B,...] from initial_state", noise=eps)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
