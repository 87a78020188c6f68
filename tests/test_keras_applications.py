"""tf.keras.applications against Keras 3 (TF 2.21): the architectures' summaries, names and
parameter counts, preprocess_input's numbers, the argument checks' messages, decode_predictions,
and weights read from Keras's legacy .h5 files (fixtures: tools/record_keras_applications_
fixtures.py). Nothing here downloads: ImageNet files are looked up in a temporary KERAS_HOME."""

import gzip
import json
import pathlib
import re
import warnings

import numpy as np
import pytest

import tapeflow as tf
import keras_applications_cases as cases
from keras_applications_cases import (
    CASES, H5_CASE, OP_CASES, V3_CASE, VARIANTS, fill_value, images, tiny)

h5py = pytest.importorskip("h5py")
keras = tf.keras
apps = keras.applications
FIX = pathlib.Path(__file__).parent / "fixtures" / "keras_applications"
RECORDED = json.loads(gzip.decompress((FIX / "cases.json.gz").read_bytes()))
VARIANT_LAYERS = json.loads(gzip.decompress((FIX / "variants.json.gz").read_bytes()))
PRE = json.loads((FIX / "preprocess.json").read_text())
H5 = json.loads((FIX / "h5.json").read_text())


@pytest.fixture(autouse=True)
def fresh_session(tmp_path, monkeypatch):
    """Automatic layer names start afresh, and Keras's cache folder is an empty temporary one."""
    keras.backend.clear_session()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    yield
    keras.backend.clear_session()


def build(module, fn, kwargs):
    return cases.build(keras, module, fn, kwargs)


@pytest.mark.parametrize("case,module,fn,kwargs", CASES, ids=[c[0] for c in CASES])
def test_architecture_equals_keras(case, module, fn, kwargs):
    want = RECORDED[case]
    model = build(module, fn, kwargs)
    assert isinstance(model, keras.Model) and model.name == want["name"]
    got = [[lay.name, type(lay).__name__, str(lay.output.shape), lay.count_params()]
           for lay in model.layers]
    assert got == want["layers"]
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    assert [model.count_params(), trainable] == want["params"]
    assert cases.summary_text(model) == want["summary"]


@pytest.mark.parametrize("case,module,fn,kwargs", OP_CASES, ids=[c[0] for c in OP_CASES])
def test_architecture_with_operator_layers_equals_keras(case, module, fn, kwargs):
    """All layers as Keras's; tapeflow's functional API adds a Lambda layer for each arithmetic
    operator on Keras tensors (``x + 3.0``) where Keras records an op outside model.layers."""
    want = RECORDED[case]
    model = build(module, fn, kwargs)
    assert model.name == want["name"]
    layers = [lay for lay in model.layers if type(lay).__name__ != "Lambda"]
    got = [[lay.name, type(lay).__name__, str(lay.output.shape), lay.count_params()]
           for lay in layers]
    assert got == want["layers"]
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    assert [model.count_params(), trainable] == want["params"]
    ops = [lay.name.rstrip("_0123456789") for lay in model.layers if lay not in layers]
    assert set(ops) <= {"add", "multiply"}  # none in the minimalistic variant (no SE blocks)


@pytest.mark.parametrize("module,fn", VARIANTS)
def test_deeper_variants_have_keras_block_counts(module, fn, monkeypatch):
    """ResNet101/152 (v1, v2) and DenseNet169/201 differ from the tested ResNet50(V2) and
    DenseNet121 only in their blocks per stage: those equal the counts Keras's layer names
    show (built, each takes seconds)."""
    family = getattr(apps, module)
    builder = "_densenet" if module == "densenet" else "_resnet"
    calls = []
    monkeypatch.setattr(family, builder, lambda blocks, *args, **kw: calls.append((blocks, args)))
    getattr(family, fn)(weights=None)
    blocks, args = calls[0]
    want = VARIANT_LAYERS[fn]
    counts = {}
    for name in want["layers"]:
        found = re.match(r"conv(\d)_block(\d+)_", name)
        if found:
            counts[found[1]] = max(counts.get(found[1], 0), int(found[2]))
    assert list(blocks) == [counts[stage] for stage in sorted(counts)]
    assert want["name"] in args


def test_public_names_are_keras_names():
    assert apps.resnet50.ResNet50 is apps.ResNet50 is apps.resnet.ResNet50
    assert apps.vgg19.preprocess_input is apps.vgg16.preprocess_input
    assert not [n for n in dir(apps.mobilenet_v2) if not n.startswith("_")
                and n not in {"MobileNetV2", "decode_predictions", "preprocess_input"}]


@pytest.mark.parametrize("family", sorted(PRE["families"]))
def test_preprocess_input_equals_keras(family):
    x = np.array(PRE["input"], dtype=np.float32)
    pre = getattr(apps, family).preprocess_input
    got = {"f32": pre(x.copy()), "u8": pre(x.astype(np.uint8)), "f64": pre(x.astype(np.float64)),
           "three_d": pre(x[0].copy()),
           "channels_first": pre(x.transpose(0, 3, 1, 2).copy(), data_format="channels_first"),
           "tensor": pre(tf.constant(x))}
    if family == "imagenet_utils":
        got["torch"] = pre(x.copy(), mode="torch")
        got["tf"] = pre(x.copy(), mode="tf")
    assert isinstance(got["tensor"], tf.Tensor)
    for key, (dtype, values) in PRE["families"][family].items():
        value = np.asarray(got[key])
        assert str(value.dtype) == dtype, key
        np.testing.assert_allclose(value, np.array(values, dtype=dtype), rtol=1e-6, err_msg=key)


def test_preprocess_input_changes_a_float_array_in_place_as_keras():
    x = np.full((1, 2, 2, 3), 255.0, np.float32)
    out = apps.mobilenet_v2.preprocess_input(x)
    assert out is x and np.all(x == 1.0)
    y = np.array([[[[10.0, 20.0, 30.0]]]], np.float32)
    apps.vgg16.preprocess_input(y)  # the BGR view is written over: y's channels reversed
    np.testing.assert_allclose(y[..., ::-1], [[[[30 - 103.939, 20 - 116.779, 10 - 123.68]]]],
                               rtol=1e-6)


def test_preprocess_input_in_a_functional_model():
    inputs = keras.Input((4, 4, 3))
    outputs = apps.resnet50.preprocess_input(apps.mobilenet_v2.preprocess_input(inputs))
    model = keras.Model(inputs, outputs)
    x = images((2, 4, 4, 3))
    want = apps.resnet50.preprocess_input(apps.mobilenet_v2.preprocess_input(x.copy()))
    np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("key", sorted(PRE["errors"]))
def test_errors_equal_keras(key):
    code, (kind, message) = PRE["errors"][key]
    if kind == "warning":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            eval(code)
        assert [str(w.message) for w in caught] == message
        return
    with pytest.raises(Exception) as info:
        eval(code)
    assert type(info.value).__name__ == kind and str(info.value) == message


def test_imagenet_weights_not_in_the_cache_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"mobilenet_v2_weights_tf_dim_ordering_tf_kernels"
                       r"_1\.0_96_no_top\.h5, which Keras downloads from https://storage"):
        apps.MobileNetV2(input_shape=(96, 96, 3), include_top=False)
    with pytest.raises(FileNotFoundError, match="imagenet_class_index.json"):
        apps.vgg16.decode_predictions(np.zeros((1, 1000)))


def test_decode_predictions_reads_the_cached_class_index(tmp_path):
    models = tmp_path / "keras_home" / "models"
    models.mkdir(parents=True)
    (models / "imagenet_class_index.json").write_text(json.dumps(
        {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}))
    preds = np.zeros((2, 1000), np.float32)
    preds[0, [5, 7, 900]] = [0.2, 0.5, 0.3]
    preds[1, 3] = 1.0
    got = apps.resnet.decode_predictions(preds, top=3)
    assert [t[:2] for t in got[0]] == [("n00000007", "class_7"), ("n00000900", "class_900"),
                                       ("n00000005", "class_5")]
    assert [float(t[2]) for t in got[0]] == pytest.approx([0.5, 0.3, 0.2])
    assert got[1][0] == ("n00000003", "class_3", np.float32(1.0)) and len(got[1]) == 3


def test_legacy_h5_written_by_keras_loads():
    """tiny.h5: Keras 3's legacy writer (the ImageNet files' layout); same predictions."""
    model = tiny(keras)
    model.load_weights(str(FIX / "tiny.h5"))
    x = images((2, 8, 8, 3), seed=H5["tiny"]["input_seed"]) / 255.0
    np.testing.assert_allclose(model.predict(x, verbose=0), H5["tiny"]["predictions"],
                               rtol=1e-5, atol=1e-6)


def write_legacy(path, layout, value_of):
    """A legacy .h5 weights file with ``layout`` (layer names, weight names and shapes)."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [n.encode() for n, _ in layout]
        for name, weights in layout:
            group = f.create_group(name)
            group.attrs["weight_names"] = [w.encode() for w, _ in weights]
            for w, shape in weights:
                group.create_dataset(w, data=value_of(w, tuple(shape)))


def test_mobilenet_v2_loads_a_keras_layout_file(tmp_path):
    """A file laid out as Keras writes MobileNetV2's weights, with known values: tapeflow's
    model takes each value where Keras's does, so predictions equal Keras's."""
    index = {p: k for k, p in enumerate(H5["weight_paths"])}
    path = tmp_path / "mnv2.h5"
    write_legacy(path, H5["layout"], lambda w, shape: fill_value(index[w], shape, w))
    module, fn, kwargs = H5_CASE
    model = build(module, fn, dict(kwargs, weights=str(path)))
    x = apps.mobilenet_v2.preprocess_input(images((2, 32, 32, 3), seed=2))
    np.testing.assert_allclose(model.predict(x, verbose=0), H5["mobilenet_v2_predictions"],
                               rtol=1e-4, atol=1e-6)
    write_legacy(tmp_path / "cut.h5", H5["layout"][:-1], lambda w, shape: np.zeros(shape))
    with pytest.raises(ValueError, match=r"^Layer count mismatch when loading weights from file\. "
                       r"Model expected 105 layers, found 104 saved layers\.$"):
        model.load_weights(str(tmp_path / "cut.h5"))
    layout = [[n, ws] for n, ws in H5["layout"]]
    layout[1] = ["Conv1", [["Conv1/kernel", [3, 3, 3, 8]]]]
    write_legacy(tmp_path / "narrow.h5", layout, lambda w, shape: np.zeros(shape))
    with pytest.raises(ValueError, match=r"^Shape mismatch in layer #0 \(named Conv1\)for weight "
                       r"Conv1/kernel\. Weight expects shape \(3, 3, 3, 16\)\. Received saved "
                       r"weight with shape \(3, 3, 3, 8\)$"):
        model.load_weights(str(tmp_path / "narrow.h5"))


def test_mobilenet_v3_computes_what_keras_computes():
    """Hard-swish, the hard-sigmoid's operator layers and the input rescaling: with the same
    weights (in model.weights' order, as Keras's) the predictions equal Keras's."""
    module, fn, kwargs = V3_CASE
    model = build(module, fn, kwargs)
    for k, w in enumerate(model.weights):
        w.assign(fill_value(k, tuple(w.shape), w.path))
    np.testing.assert_allclose(model.predict(images((2, 32, 32, 3), seed=4), verbose=0),
                               H5["mobilenet_v3_predictions"], rtol=1e-4, atol=1e-6)


def test_imagenet_weights_come_from_keras_cache(tmp_path):
    source = apps.MobileNet(input_shape=(128, 128, 3), alpha=0.25, include_top=False,
                            weights=None)
    layout = [[lay.name, [[w.path, list(w.shape)] for w in lay.weights]]
              for lay in source.layers]
    values = {w.path: fill_value(k, tuple(w.shape), w.path) for k, w in enumerate(source.weights)}
    models = tmp_path / "keras_home" / "models"
    models.mkdir(parents=True)
    write_legacy(models / "mobilenet_2_5_128_tf_no_top.h5", layout, lambda w, s: values[w])
    keras.backend.clear_session()
    model = apps.MobileNet(input_shape=(128, 128, 3), alpha=0.25, include_top=False)
    for w in model.weights:
        np.testing.assert_array_equal(w.numpy(), values[w.path])


def test_frozen_mobilenet_v2_base_with_a_head_trains():
    """The transfer-learning recipe: a frozen base, a new head trained with fit."""
    base = apps.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, include_top=False,
                            weights=None)
    base.trainable = False
    before = [w.numpy().copy() for w in base.weights]
    inputs = keras.Input((32, 32, 3))
    x = base(apps.mobilenet_v2.preprocess_input(inputs), training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(1)(keras.layers.Dropout(0.2)(x))
    model = keras.Model(inputs, outputs)
    assert len(model.trainable_weights) == 2
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    x_train, y_train = images((16, 32, 32, 3), seed=3), np.arange(16) % 2
    head_before = model.layers[-1].kernel.numpy().copy()
    history = model.fit(x_train, y_train, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2
    assert not np.allclose(model.layers[-1].kernel.numpy(), head_before)
    for w, b in zip(base.weights, before):
        np.testing.assert_array_equal(w.numpy(), b)


def test_unknown_image_sizes_stay_unknown_through_strided_and_large_kernels():
    """Two small placeholder runs cannot tell: a stride-2 convolution maps 3 and 4 pixels to 2,
    a 7x7 "valid" one does not run on them; the layers' own output shapes say "unknown"."""
    L = keras.layers
    inputs = keras.Input((None, None, 3))
    x = L.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = L.Conv2D(4, 7, strides=2)(L.ZeroPadding2D(3)(x))
    assert x.shape == (None, None, None, 4)
    model = keras.Model(inputs, L.GlobalMaxPooling2D()(x))
    assert model(np.zeros((2, 40, 30, 3), np.float32)).shape == (2, 4)


def test_imagenet_file_names_are_keras_whatever_the_model_name():
    with pytest.raises(FileNotFoundError, match=r"file vgg19_weights_tf_dim_ordering_tf_kernels"
                       r"_notop\.h5, which Keras downloads from https://storage\.googleapis\.com/"
                       r"tensorflow/keras-applications/vgg19/vgg19_weights"):
        apps.VGG19(include_top=False, input_shape=(32, 32, 3), name="features")


def test_legacy_h5_skip_mismatch_warns_as_keras(tmp_path):
    model = tiny(keras)
    layout = [["conv", [["conv/kernel", [3, 3, 3, 2]]]], ["bn", []], ["dw", []],
              ["predictions", [["predictions/kernel", [4, 5]], ["predictions/bias", [5]]]]]
    write_legacy(tmp_path / "w.h5", layout, lambda w, shape: np.ones(shape, np.float32))
    with pytest.raises(ValueError, match="Layer count mismatch"):
        model.load_weights(str(tmp_path / "w.h5"))
    layout[1] = ["bn", [[f"bn/{n}", [4]] for n in ("gamma", "beta", "moving_mean",
                                                   "moving_variance")]]
    layout[2] = ["dw", [["dw/kernel", [3, 3, 4, 1]], ["dw/bias", [4]]]]
    write_legacy(tmp_path / "w.h5", layout, lambda w, shape: np.ones(shape, np.float32))
    with pytest.warns(UserWarning, match=r"^Skipping loading weights for layer #0 \(named conv\)"
                      r"due to mismatch in shape for weight conv/kernel\. Weight expects shape "
                      r"\(3, 3, 3, 4\)\. Received saved weight with shape \(3, 3, 3, 2\)$"):
        model.load_weights(str(tmp_path / "w.h5"), skip_mismatch=True)
    np.testing.assert_array_equal(model.get_layer("predictions").bias.numpy(), np.ones(5))
