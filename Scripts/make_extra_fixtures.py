"""Computes extra conformance cases with the reference stack (TensorFlow 2 + Sonnet 2).

The shared fixtures cover one or two configurations per module kind; these cover more of the
documented schema (VALID padding, rectangular kernels and strides, no bias, batch size one, large
magnitudes, all-zero images). Same file format as the shared fixtures' README describes.

The network kinds use the reference library itself (RaoulDrake/ftw), loaded through the
reference bench's shim: FTW_REF names the folder holding its `ftw/` package. RPTH's posterior
sample is made reproducible by handing it a diagonal normal whose `sample()` is `loc + scale * eps`
with recorded standard-normal `eps` (stored as `noise/eps`).

Run (with the venv from shared/tools/reference-bench/README.md, plus `pip install trfl` for the
learner cases):
    FTW_REF=/tmp/ref /tmp/tfenv/bin/python Scripts/make_extra_fixtures.py \
        Tests/FTWConformanceTests/Fixtures/extra ../shared/tools/reference-bench
    FTW_REF=/tmp/ref /tmp/tfenv/bin/python Scripts/make_extra_fixtures.py \
        Tests/FTWConformanceTests/Fixtures/extra/training ../shared/tools/reference-bench --training
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


def training_case(path, kind, config, inputs, compute, differentiate, rng, note=""):
    """A learner-math case: `compute(tensors)` gives the outputs; gradients for `differentiate` only."""
    watched = {k: tf.constant(v) for k, v in inputs.items()}
    with tf.GradientTape(persistent=True) as tape:
        for k in differentiate:
            tape.watch(watched[k])
        outputs = compute(watched)
        cotangents = {k: rng.standard_normal(v.shape).astype(np.float32) for k, v in outputs.items() if v.dtype == tf.float32}
        loss = tf.add_n([tf.reduce_sum(outputs[k] * cotangents[k]) for k in cotangents]) if differentiate else None
    tensors = {f"inputs/{k}": v for k, v in inputs.items()}
    tensors.update({f"outputs/{k}": v.numpy() for k, v in outputs.items()})
    if differentiate:
        tensors.update({f"cotangents/{k}": v for k, v in cotangents.items()})
        for k, g in zip(differentiate, tape.gradient(loss, [watched[k] for k in differentiate])):
            tensors[f"grads/inputs/{k}"] = g.numpy()
    metadata = {"module": kind, "config": json.dumps(config), "note": note, "trainable": "[]", "sonnet_names": "{}"}
    write_safetensors(path, tensors, metadata)


def training_cases(out_dir, shim_dir, rng):
    sys.path.insert(0, shim_dir)
    import refshim
    refshim.load()
    import tensorflow_probability as tfp
    import trfl
    from ftw.tf.losses import impala as impala_losses
    tfd = tfp.distributions

    def normal(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def case(name, kind, config, inputs, compute, differentiate, note=""):
        training_case(os.path.join(out_dir, name + ".safetensors"), kind, config, inputs, compute, differentiate, rng, note)

    def scalar(x):
        return tf.reshape(x, [1])

    # IMPALA, as the reference learner's _step computes it.
    def impala(config):
        def compute(i):
            rewards = i["rewards"]
            if config.get("max_abs_reward") is not None:
                rewards = tf.clip_by_value(rewards, -config["max_abs_reward"], config["max_abs_reward"])
            logits, values = i["logits"], i["values"]
            vtrace = trfl.vtrace_from_logits(
                behaviour_policy_logits=i["behaviour_logits"][:-1], target_policy_logits=logits[:-1], actions=i["actions"],
                discounts=config["discount"] * i["discounts"], rewards=rewards, values=values[:-1], bootstrap_value=values[-1])
            critic = config["baseline_cost"] * impala_losses.compute_baseline_loss(vtrace.vs - values[:-1])
            pg = impala_losses.compute_policy_gradient_loss(logits[:-1], i["actions"], vtrace.pg_advantages)
            entropy = config["entropy_cost"] * impala_losses.compute_entropy_loss(logits[:-1])
            return {"loss": scalar(critic + pg + entropy), "critic_loss": scalar(critic), "policy_gradient_loss": scalar(pg),
                    "entropy_loss": scalar(entropy), "vs": vtrace.vs, "pg_advantages": vtrace.pg_advantages}
        return compute

    for name, config, T, B, A in [
        ("extra_impala_loss_clipped_episode_ends", {"discount": 0.9, "baseline_cost": 1.0, "entropy_cost": 0.05, "max_abs_reward": 0.5}, 5, 2, 3),
        ("extra_impala_loss_one_step", {"discount": 0.99, "baseline_cost": 0.5, "entropy_cost": 0.0, "max_abs_reward": None}, 1, 1, 4),
    ]:
        discounts = (rng.uniform(size=(T, B)) > 0.3).astype(np.float32)
        inputs = {"logits": normal(T + 1, B, A, scale=3.0), "values": normal(T + 1, B), "behaviour_logits": normal(T + 1, B, A, scale=3.0),
                  "actions": rng.integers(0, A, (T, B)).astype(np.int32), "rewards": normal(T, B), "discounts": discounts}
        case(name, "IMPALALoss", config, inputs, impala(config), ["logits", "values"])

    # RPTH KL, as the reference learner's _step computes it.
    def kl(config):
        def compute(i):
            fixed = tfd.MultivariateNormalDiag(loc=tf.zeros_like(i["prior_loc"]), scale_diag=tf.ones_like(i["prior_scale"]) * 0.1)
            prior = tfd.MultivariateNormalDiag(loc=i["prior_loc"], scale_diag=i["prior_scale"])
            posterior = tfd.MultivariateNormalDiag(loc=i["posterior_loc"], scale_diag=i["posterior_scale"])
            T = i["prior_loc"].shape[0]
            counters = tf.stack([i["step"] + t for t in range(T)])
            mask = tf.math.floormod(counters, tf.ones_like(counters) * config["period"]) == tf.zeros_like(counters)
            kld_fixed = tfd.kl_divergence(prior, fixed)
            masked = tf.compat.v1.where(mask, kld_fixed, tf.zeros_like(kld_fixed))
            return {"kld_prior_fixed_loss": scalar(config["kld_prior_fixed_cost"] * tf.reduce_sum(masked)),
                    "kld_prior_posterior_loss": scalar(config["kld_prior_posterior_cost"] * tf.reduce_sum(tfd.kl_divergence(posterior, prior)))}
        return compute

    for name, config, T, B, D, step in [
        ("extra_rpth_kl_loss_every_step", {"period": 1, "kld_prior_fixed_cost": 1.0, "kld_prior_posterior_cost": 0.5}, 3, 2, 2, [0.0, 7.0]),
        ("extra_rpth_kl_loss_offset_steps", {"period": 5, "kld_prior_fixed_cost": 0.01, "kld_prior_posterior_cost": 0.1}, 7, 3, 1, [3.0, 4.0, 10.0]),
    ]:
        inputs = {"prior_loc": normal(T, B, D), "prior_scale": rng.uniform(0.05, 2, (T, B, D)).astype(np.float32),
                  "posterior_loc": normal(T, B, D), "posterior_scale": rng.uniform(0.05, 2, (T, B, D)).astype(np.float32),
                  "step": np.array(step, np.float32)}
        case(name, "RPTHKLLoss", config, inputs, kl(config), ["prior_loc", "prior_scale", "posterior_loc", "posterior_scale"])

    # Pixel control with other cells, crops, scales and discounts.
    for name, config, T, B, H, W, A in [
        ("extra_pixel_control_loss_big_cells", {"cell_size": 8, "discount": 0.5, "scale": 0.5, "crop_height": [0, 80], "crop_width": [4, 84]}, 2, 1, 84, 84, 2),
        ("extra_pixel_control_loss_small_frames", {"cell_size": 2, "discount": 0.99, "scale": 2.0, "crop_height": [1, 9], "crop_width": [0, 6]}, 3, 2, 10, 6, 3),
    ]:
        c = config
        rows = (c["crop_height"][1] - c["crop_height"][0]) // c["cell_size"]
        columns = (c["crop_width"][1] - c["crop_width"][0]) // c["cell_size"]
        inputs = {"observations": rng.uniform(0, 1, (T + 1, B, H, W, 3)).astype(np.float32), "actions": rng.integers(0, A, (T, B)).astype(np.int32),
                  "action_values": normal(T + 1, B, rows, columns, A)}

        def compute(i, c=c):
            out = trfl.pixel_control_loss(i["observations"], i["actions"], i["action_values"], cell_size=c["cell_size"], discount_factor=c["discount"],
                                          scale=c["scale"], crop_height_dim=tuple(c["crop_height"]), crop_width_dim=tuple(c["crop_width"]))
            return {"loss": out.loss, "pseudo_rewards": out.extra.pseudo_rewards}

        case(name, "PixelControlLoss", config, inputs, compute, ["action_values"])

    def reward_prediction(i):
        rewards = i["rewards"]
        labels = tf.cast(tf.where(rewards > 0, 2.0, tf.where(rewards < 0, 1.0, 0.0)), tf.int32)
        loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=i["logits"]))
        return {"labels": labels, "loss": scalar(loss)}

    case("extra_reward_prediction_loss_mixed", "RewardPredictionLoss", {},
         {"logits": normal(5, 3, scale=4.0), "rewards": np.array([0, -0.1, 3, 0, 1e-3], np.float32)}, reward_prediction, ["logits"])

    def clip(config):
        def compute(i):
            clipped, norm = tf.clip_by_global_norm([i[f"g/{k}"] for k in range(config["count"])], config["max_norm"])
            out = {f"clipped/{k}": t for k, t in enumerate(clipped)}
            out["global_norm"] = scalar(norm)
            return out
        return compute

    config = {"count": 3, "max_norm": 0.01}
    inputs = {"g/0": normal(2, 2, 2), "g/1": normal(1), "g/2": normal(6, scale=5.0)}
    case("extra_clip_by_global_norm_three", "ClipByGlobalNorm", config, inputs, clip(config), ["g/0", "g/1", "g/2"])

    def optimizer_case(name, kind, config, make):
        shapes = [(3, 2), (4,), (1, 1)][: config["num_params"]]
        inputs = {f"param/{i}": normal(*shape) for i, shape in enumerate(shapes)}
        for k in range(config["steps"]):
            inputs.update({f"grad/{k}/{i}": normal(*shape, scale=3.0) for i, shape in enumerate(shapes)})
        variables = [tf.Variable(inputs[f"param/{i}"]) for i in range(len(shapes))]
        optimizer = make()
        outputs = {}
        for k in range(config["steps"]):
            optimizer.apply([tf.constant(inputs[f"grad/{k}/{i}"]) for i in range(len(shapes))], variables)
            outputs.update({f"param_after/{k}/{i}": v.numpy() for i, v in enumerate(variables)})
        tensors = {f"inputs/{k}": v for k, v in inputs.items()}
        tensors.update({f"outputs/{k}": v for k, v in outputs.items()})
        metadata = {"module": kind, "config": json.dumps(config), "note": "", "trainable": "[]", "sonnet_names": "{}"}
        write_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors, metadata)

    config = {"num_params": 3, "steps": 4, "learning_rate": 0.05, "decay": 0.9, "momentum": 0.9, "epsilon": 1e-6, "centered": True}
    optimizer_case("extra_rmsprop_centered_momentum", "RMSProp", config, lambda c=config: snt.optimizers.RMSProp(
        learning_rate=c["learning_rate"], decay=c["decay"], momentum=c["momentum"], epsilon=c["epsilon"], centered=c["centered"]))
    config = {"num_params": 2, "steps": 5, "learning_rate": 0.1, "beta1": 0.5, "beta2": 0.9, "epsilon": 1e-3}
    optimizer_case("extra_adam_other_betas", "Adam", config, lambda c=config: snt.optimizers.Adam(
        learning_rate=c["learning_rate"], beta1=c["beta1"], beta2=c["beta2"], epsilon=c["epsilon"]))


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[3] == "--training":
        np.float = float  # trfl still names them
        np.int = int
        training_cases(sys.argv[1], sys.argv[2], np.random.default_rng(2027))
    else:
        main(sys.argv[1], sys.argv[2])
