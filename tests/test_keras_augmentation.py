"""Keras 3's image preprocessing / augmentation layers against fixtures recorded from real Keras
(tools/record_keras_augmentation_fixtures.py): fixed transforms (degenerate factor ranges,
probabilities 0 or 1, training=False) exactly, configs, output shapes, error messages, the model
summary; the random draws by their properties (shape, range, per-image draws, seeds)."""

import contextlib
import io
import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf

keras = tf.keras
HERE = pathlib.Path(__file__).parent / "fixtures" / "keras_augmentation"
RECORD = json.loads((HERE / "cases.json").read_text())
ARRAYS = np.load(HERE / "outputs.npz")
# recorded layers tapeflow does not have yet
NOT_BUILT = set()
# cases whose outcome Keras still draws per image (a sign, or whether to apply): each recorded
# image must be one that tapeflow draws under one of a few seeds
CHOICES = {"hue_fixed", "shear_x", "shear_y_nearest", "blur_fixed"}
CASES = [c for c in RECORD["cases"] if c["class"] not in NOT_BUILT]


def _input(name):
    return ARRAYS[f"input_{name}"]


def _normal(config, case):
    config = json.loads(json.dumps(config))
    config.pop("name")
    if case["class"] == "RandomCrop" and "seed" not in case["kwargs"]:
        config.pop("seed")  # a random default seed
    return config


def test_not_built_are_absent():
    for name in NOT_BUILT:
        assert not hasattr(keras.layers, name), f"{name} is built: test its fixtures"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixed_transform_matches_keras(case):
    layer = getattr(keras.layers, case["class"])(**case["kwargs"])
    x = _input(case["input"])
    y = layer(x, training=case["training"])
    want = ARRAYS[case["name"]]
    assert y.dtype.name == case["dtype"]
    assert list(y.shape) == case["shape"]
    scale = max(1.0, float(np.abs(want).max()))
    # integer outputs: tapeflow's resize can land 2e-5 on the other side of a .5 before rounding
    atol = 1 if want.dtype.kind in "ui" else 2e-4 * scale
    if case["name"] in CHOICES:
        draws = [getattr(keras.layers, case["class"])(**case["kwargs"], seed=s)(x).numpy()
                 for s in range(12)]
        for i, image in enumerate(want):
            assert any(np.allclose(d[i], image, atol=atol, rtol=0) for d in draws), i
    else:
        np.testing.assert_allclose(np.asarray(y, "float64"), want, atol=atol, rtol=0)
    assert _normal(layer.get_config(), case) == _normal(case["config"], case)
    shape = layer.compute_output_shape((None,) + x.shape[1:])
    assert json.loads(json.dumps(shape)) == case["output_shape"]


ERRORS = [e for e in RECORD["errors"] if e["class"] not in NOT_BUILT]


@pytest.mark.parametrize("record", ERRORS, ids=[f"{e['class']}-{i}" for i, e in
                                                enumerate(ERRORS)])
def test_errors_match_keras(record):
    cls = getattr(keras.layers, record["class"])
    if "shape" not in record:
        with pytest.raises(getattr(__builtins__, record["type"], None) or Exception) as info:
            cls(**record["kwargs"])
        assert type(info.value).__name__ == record["type"]
        assert str(info.value) == record["error"]
        return
    if record["type"] == "IndexError":  # Keras fails inside; tapeflow says what is wrong
        with pytest.raises(ValueError, match="rank 3"):
            cls(**record["kwargs"])(np.zeros(record["shape"], "float32"), training=True)
        return
    with pytest.raises(ValueError) as info:
        cls(**record["kwargs"])(np.zeros(record["shape"], "float32"), training=True)
    core = record["error"].split("\x1b[1m")[1].split("\x1b[0m")[0]
    assert core in str(info.value)


def test_summary_matches_keras():
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((8, 8, 3)), layers.RandomFlip("horizontal", name="flip"),
        layers.RandomRotation(0.1, name="rotate"), layers.RandomZoom(0.1, name="zoom"),
        layers.RandomHeight(0.2, name="height"), layers.Resizing(6, 6, name="resize"),
        layers.CenterCrop(4, 4, name="crop"), layers.Rescaling(1.0 / 255, name="rescale")],
        name="augment")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        model.summary()
    assert buf.getvalue() == (HERE / "summary.txt").read_text()


def _images(n=4, h=6, w=8, seed=0):
    return np.random.RandomState(seed).uniform(0, 255, (n, h, w, 3)).astype("float32")


RANDOM_LAYERS = [
    lambda s: keras.layers.RandomFlip(seed=s),
    lambda s: keras.layers.RandomRotation(0.2, seed=s),
    lambda s: keras.layers.RandomZoom(0.3, 0.2, seed=s),
    lambda s: keras.layers.RandomTranslation(0.2, 0.3, seed=s),
    lambda s: keras.layers.RandomContrast(0.5, seed=s),
    lambda s: keras.layers.RandomBrightness(0.3, seed=s),
    lambda s: keras.layers.RandomGrayscale(0.5, seed=s),
    lambda s: keras.layers.RandomInvert(0.5, seed=s),
    lambda s: keras.layers.Solarization(0.3, 0.6, seed=s),
    lambda s: keras.layers.RandomPosterization((1, 8), seed=s),
    lambda s: keras.layers.RandomShear(0.3, 0.2, seed=s),
    lambda s: keras.layers.RandomPerspective(0.5, seed=s),
    lambda s: keras.layers.RandomSharpness(0.5, seed=s),
    lambda s: keras.layers.RandomColorDegeneration(0.5, seed=s),
    lambda s: keras.layers.RandomSaturation(0.5, seed=s),
    lambda s: keras.layers.RandomHue(0.5, seed=s),
    lambda s: keras.layers.RandomColorJitter(brightness_factor=0.2, contrast_factor=0.3,
                                             saturation_factor=0.4, hue_factor=0.1, seed=s),
    lambda s: keras.layers.RandomGaussianBlur(0.5, 3, (0.1, 1.0), seed=s),
]
# layers that change every image (the others leave some images as they are)
ALWAYS = ("RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast",
          "RandomBrightness", "Solarization", "RandomPosterization", "RandomShear",
          "RandomSharpness", "RandomColorDegeneration", "RandomSaturation", "RandomHue",
          "RandomColorJitter")


@pytest.mark.parametrize("make", RANDOM_LAYERS, ids=lambda m: type(m(1)).__name__)
def test_random_layers_seeded_per_image_and_identity_at_inference(make):
    x = _images(8)
    a = make(3)(x).numpy()
    b = make(3)(x).numpy()
    np.testing.assert_array_equal(a, b)  # same seed, same draws
    layer = make(3)
    first, second = layer(x).numpy(), layer(x).numpy()
    assert not np.array_equal(first, second)  # the generator advances
    # two batches' draws (TF's own: seed 3 leaves all of the first batch alone for some layers)
    changed = [not np.allclose(out[i], x[i]) for out in (a, second) for i in range(len(x))]
    assert all(changed) if type(layer).__name__ in ALWAYS else any(changed) and not all(changed)
    assert len({a[i].tobytes() for i in range(len(x))}) == len(x)  # own draw per image
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    assert a.shape == x.shape and a.dtype == np.float32


def test_flip_is_original_or_mirrored():
    x = _images(16)
    for mode, axes in (("horizontal", [2]), ("vertical", [1]),
                       ("horizontal_and_vertical", [1, 2])):
        y = keras.layers.RandomFlip(mode, seed=1)(x).numpy()
        flipped = np.flip(x, axes)
        kinds = [np.array_equal(y[i], x[i]) or np.array_equal(y[i], flipped[i])
                 for i in range(len(x))]
        assert all(kinds)
        assert 0 < sum(np.array_equal(y[i], flipped[i]) for i in range(len(x))) < len(x)


def test_random_ranges():
    x = _images(32)
    y = keras.layers.RandomBrightness(0.2, seed=2)(x).numpy()
    delta = (y - x)[np.abs(y - x).max(axis=(1, 2, 3)) > 0]
    assert y.min() >= 0 and y.max() <= 255
    assert np.abs(y - x).max() <= 0.2 * 255 + 1e-3
    assert delta.size
    crop = keras.layers.RandomCrop(3, 4, seed=5)
    out = crop(x).numpy()
    assert out.shape == (32, 3, 4, 3)
    windows = [x[0, i:i + 3, j:j + 4] for i in range(4) for j in range(5)]
    assert any(np.array_equal(out[0], w) for w in windows)
    np.testing.assert_array_equal(crop(x, training=False).numpy(), x)
    tall = keras.layers.RandomHeight((0.5, 1.0), seed=1)(x)
    assert 9 <= tall.shape[1] <= 12 and tall.shape[2] == 8


def test_rotation_by_whole_turn_is_identity_and_channels_first_agrees():
    x = _images(2, 6, 6)
    y = keras.layers.RandomRotation((1.0, 1.0), fill_mode="constant")(x).numpy()
    np.testing.assert_allclose(y, x, atol=1e-3)
    last = keras.layers.RandomRotation((0.1, 0.1))(x).numpy()
    first = keras.layers.RandomRotation((0.1, 0.1), data_format="channels_first")(
        np.transpose(x, (0, 3, 1, 2))).numpy()
    np.testing.assert_allclose(np.transpose(first, (0, 2, 3, 1)), last, atol=1e-3)


def test_config_round_trip():
    for layer in (keras.layers.RandomRotation(0.2, fill_mode="nearest", seed=4),
                  keras.layers.RandomZoom((-0.2, 0.3), 0.1, interpolation="nearest"),
                  keras.layers.RandomTranslation(0.1, (0.0, 0.2), fill_value=2.0),
                  keras.layers.Resizing(4, 5, crop_to_aspect_ratio=True),
                  keras.layers.RandomContrast(0.3, value_range=(0, 1)),
                  keras.layers.RandomHeight(0.2), keras.layers.RandomCrop(3, 3, seed=1),
                  keras.layers.Solarization(0.1, 0.5)):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
        again = keras.layers.deserialize(keras.layers.serialize(layer))
        assert type(again) is type(layer)


def test_in_models_fit_predict_and_data_pipeline():
    x = _images(16, 8, 8) / 255.0
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    augment = keras.Sequential([keras.layers.RandomFlip("horizontal", seed=1),
                                keras.layers.RandomRotation(0.1, seed=2),
                                keras.layers.RandomZoom(0.1, seed=3)])
    inputs = keras.Input((8, 8, 3))
    h = augment(inputs)
    h = keras.layers.Resizing(4, 4)(h)
    out = keras.layers.Dense(1, activation="sigmoid")(keras.layers.Flatten()(h))
    model = keras.Model(inputs, out)
    assert model.output_shape == (None, 1)
    model.compile("adam", "binary_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2
    p1 = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), p1)  # identity at inference
    np.testing.assert_array_equal(augment(x, training=False).numpy(), x)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(
        lambda a, b: (augment(a, training=True), b))
    batches = list(ds)
    assert len(batches) == 4 and tuple(batches[0][0].shape) == (4, 8, 8, 3)
    model.fit(ds, epochs=1, verbose=0)


def test_dict_inputs_share_the_transformation():
    x = _images(4, 6, 6)
    masks = np.arange(4 * 36).reshape(4, 6, 6, 1).astype("float32")
    out = keras.layers.RandomFlip(seed=7)({"images": x, "segmentation_masks": masks,
                                           "labels": np.arange(4)})
    for i in range(4):
        flipped = not np.array_equal(out["images"][i].numpy(), x[i])
        assert flipped == (not np.array_equal(out["segmentation_masks"][i].numpy(), masks[i]))
    np.testing.assert_array_equal(out["labels"].numpy(), np.arange(4))
    with pytest.raises(NotImplementedError):
        keras.layers.RandomFlip()({"images": x, "bounding_boxes": {"boxes": np.zeros((4, 1, 4))}})


def test_pipeline_config_matches_keras():
    want = RECORD["configs"]["pipeline"]
    pipe = keras.layers.Pipeline([keras.layers.RandomFlip(seed=1), keras.layers.Resizing(3, 4)],
                                 name="pipe")
    got = pipe.get_config()
    for layer in got["layers"] + want["layers"]:
        layer["config"].pop("name")
    assert json.loads(json.dumps(got)) == want
    clone = keras.layers.Pipeline.from_config(pipe.get_config())
    assert [type(x).__name__ for x in clone.layers] == ["RandomFlip", "Resizing"]
    assert clone(_images(2)).shape == (2, 3, 4, 3)


def test_mixup_and_cutmix_mix_images_as_their_labels_say():
    x = _images(6, 6, 6)
    eye = np.eye(6, dtype="float32")
    out = keras.layers.MixUp(alpha=0.5, seed=3)({"images": x, "labels": eye})
    labels = out["labels"].numpy()
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(out["images"].numpy(), np.einsum("ij,jhwc->ihwc", labels, x),
                               rtol=1e-4, atol=1e-2)
    out = keras.layers.CutMix(seed=4)({"images": x, "labels": eye})
    labels, images = out["labels"].numpy(), out["images"].numpy()
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-5)
    for i in range(6):
        rest = labels[i].copy()
        rest[i] = 0
        other = int(np.argmax(rest)) if rest.max() > 0 else i
        pixel_from_self = np.all(images[i] == x[i], axis=-1)
        pixel_from_other = np.all(images[i] == x[other], axis=-1)
        assert np.all(pixel_from_self | pixel_from_other)


def test_erasing_fills_a_box_or_nothing():
    x = _images(8, 10, 10)
    y = keras.layers.RandomErasing(factor=1.0, fill_value=7.0, seed=2)(x).numpy()
    erased = y != x
    assert np.all(y[erased] == 7.0)
    counts = erased.any(axis=-1).sum(axis=(1, 2))
    assert (counts == 0).any() and (counts > 0).any()
    for i in np.flatnonzero(counts):
        rows, cols = np.nonzero(erased[i].any(axis=-1))
        box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
        assert box == counts[i]  # one rectangle


def test_rand_augment_and_aug_mix_stay_in_range():
    x = _images(4, 8, 8)
    for layer in (keras.layers.RandAugment(num_ops=3, seed=1),
                  keras.layers.AugMix(chain_depth=2, seed=2)):
        y = layer(x).numpy()
        assert y.shape == x.shape and y.min() >= 0 and y.max() <= 255
        assert not np.allclose(y, x)
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x)


def test_max_num_bounding_boxes_pads_and_cuts():
    x = _images(2)
    layer = keras.layers.MaxNumBoundingBoxes(3)
    boxes = np.arange(2 * 5 * 4, dtype="float32").reshape(2, 5, 4)
    out = layer({"images": x, "bounding_boxes": {"boxes": boxes, "labels": np.ones((2, 5))}})
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"].numpy(), boxes[:, :3])
    out = layer({"images": x, "bounding_boxes": {"boxes": boxes[:, :1],
                                                  "labels": np.ones((2, 1))}})
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"].numpy(),
                                  [[1, -1, -1], [1, -1, -1]])
    np.testing.assert_array_equal(out["images"].numpy(), x)


def test_tutorial_nested_augmentation_model_is_built_from_its_input_shape():
    layers = keras.layers
    with pytest.warns(UserWarning, match="input_shape"):
        augment = keras.Sequential([layers.RandomFlip("horizontal", input_shape=(8, 8, 3)),
                                    layers.RandomRotation(0.1), layers.RandomZoom(0.1)])
    model = keras.Sequential([augment, layers.Rescaling(1.0 / 255), layers.Flatten(),
                              layers.Dense(3)])
    assert model.output_shape == (None, 3)
    assert model.count_params() == 8 * 8 * 3 * 3 + 3


@pytest.mark.parametrize("fill", ["constant", "nearest", "wrap", "reflect"])
@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates_fill_modes_match_keras(fill, order):
    got = keras.ops.image.map_coordinates(ARRAYS["map_grid"], [ARRAYS["map_rows"],
                                          ARRAYS["map_cols"]], order, fill, -1.0)
    np.testing.assert_allclose(got.numpy(), ARRAYS[f"map_{fill}_{order}"], atol=1e-5)


def test_elastic_transform_displaces_smoothly_and_stays_in_range():
    x = _images(3, 16, 12)
    ops = keras.ops.image
    np.testing.assert_allclose(ops.elastic_transform(x, alpha=0.0, sigma=2.0).numpy(), x,
                               atol=1e-4)
    a = ops.elastic_transform(x, alpha=8.0, sigma=2.0, seed=5).numpy()
    np.testing.assert_array_equal(a, ops.elastic_transform(x, alpha=8.0, sigma=2.0,
                                                           seed=5).numpy())
    assert not np.allclose(a, x) and a.min() >= x.min() - 1e-3 and a.max() <= x.max() + 1e-3
    layer = keras.layers.RandomElasticTransform(seed=1)
    y = layer(x).numpy()
    changed = [not np.allclose(y[i], x[i]) for i in range(3)]
    assert any(changed) and y.min() >= 0 and y.max() <= 255
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    with pytest.raises(ValueError, match="fill_mode"):
        keras.layers.RandomElasticTransform(fill_mode="mirror")(x)


def test_building_a_functional_model_draws_nothing():
    x = _images(4, 8, 8)
    fresh = keras.layers.RandomRotation(0.3, seed=9)(x).numpy()
    layer = keras.layers.RandomRotation(0.3, seed=9)
    inputs = keras.Input((8, 8, 3))
    keras.Model(inputs, layer(inputs))
    np.testing.assert_array_equal(layer(x).numpy(), fresh)


def test_training_default_as_keras_direct_sequential_and_explicit_none():
    x = _images(4, 6, 6)

    def augmented(out):
        return not np.allclose(np.asarray(out), x)
    seq = keras.Sequential([keras.layers.RandomBrightness((0.1, 0.1))])
    assert augmented(seq(x)) and augmented(seq(x, training=None))  # the layers' default: True
    assert not augmented(seq(x, training=False))
    assert not augmented(keras.layers.RandomBrightness((0.1, 0.1))(x, training=None))
    assert not augmented(seq.predict(x, verbose=0))


CHANNELS_FIRST = [
    ("RandomFlip", {}), ("RandomRotation", {"factor": 0.2}), ("RandomZoom", {"height_factor": 0.2}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2}),
    ("RandomShear", {"x_factor": 0.2}), ("RandomPerspective", {}),
    ("RandomElasticTransform", {}), ("RandomCrop", {"height": 4, "width": 5}),
    ("RandomContrast", {"factor": 0.3}), ("RandomBrightness", {"factor": 0.3}),
    ("RandomGrayscale", {}), ("RandomSaturation", {"factor": 0.5}), ("RandomHue", {"factor": 0.5}),
    ("RandomSharpness", {"factor": 0.5}), ("RandomColorDegeneration", {"factor": 0.5}),
    ("RandomPosterization", {"factor": 4}), ("RandomErasing", {"fill_value": 3.0}),
    ("RandomGaussianBlur", {}), ("CutMix", {}), ("MixUp", {}), ("RandAugment", {}),
    ("AugMix", {}), ("RandomColorJitter", {"brightness_factor": 0.2, "hue_factor": 0.2}),
    ("Equalization", {}), ("AutoContrast", {}), ("Resizing", {"height": 4, "width": 5}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (2, 2)}),
]


def test_channels_first_is_channels_last_transposed():
    x = _images(2, 9, 8)
    first = np.transpose(x, (0, 3, 1, 2))
    for name, kwargs in CHANNELS_FIRST:
        cls = getattr(keras.layers, name)
        seeded = {"seed": 1} if "seed" in cls.__init__.__code__.co_varnames else {}
        a = cls(data_format="channels_first", **seeded, **kwargs)(first).numpy()
        b = cls(**seeded, **kwargs)(x).numpy()
        np.testing.assert_allclose(np.transpose(a, (0, 2, 3, 1)), b, atol=1e-3, err_msg=name)


def test_model_with_augmentation_saves_and_loads(tmp_path):
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((8, 8, 3)), layers.RandomFlip("horizontal", seed=1),
        layers.RandomRotation(0.1, fill_mode="constant"), layers.RandomContrast(0.2),
        layers.RandomBrightness(0.1), layers.Solarization(0.1), layers.AutoContrast(),
        layers.RandomCrop(6, 6, seed=3), layers.RandAugment(num_ops=1), layers.MixUp(),
        layers.MaxNumBoundingBoxes(3), layers.RandomHeight(0.1), layers.Resizing(4, 4),
        layers.Flatten(), layers.Dense(2)])
    model.save(tmp_path / "aug.keras")
    loaded = keras.models.load_model(tmp_path / "aug.keras")
    assert [type(x) for x in loaded.layers] == [type(x) for x in model.layers]
    for a, b in zip(model.layers, loaded.layers):
        assert json.loads(json.dumps(a.get_config())) == json.loads(json.dumps(b.get_config()))
    x = _images(2, 8, 8)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5)


def test_loads_a_model_keras_saved():
    model = keras.models.load_model(HERE / "augment_model.keras")
    assert [type(x).__name__ for x in model.layers][:4] == [
        "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation"]
    assert model.layers[2].get_config()["width_factor"] == 0.2
    np.testing.assert_allclose(model.predict(ARRAYS["saved_input"], verbose=0),
                               ARRAYS["saved_predict"], rtol=1e-4, atol=1e-6)
