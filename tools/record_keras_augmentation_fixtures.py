"""Record what Keras 3's image preprocessing / augmentation layers compute, into
tests/fixtures/keras_augmentation/ (cases.json, outputs.npz, summary.txt).

Run with real TensorFlow (a yardstick only, never a dependency):
    /work/tfenv/bin/python tools/record_keras_augmentation_fixtures.py

Random draws cannot match TF's generator, so every recorded augmentation is one whose transform
is fixed: a degenerate range (``factor=(0.25, 0.25)``), a probability of 0 or 1, or
``training=False``. Each case keeps the layer's constructor arguments, the input it was called
on, the call's ``training``, the output (values, dtype, shape), the layer's ``get_config()`` and
``compute_output_shape``. ``errors`` keeps the exception type and message of bad arguments.
"""

import io
import json
import os
import pathlib
import contextlib

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

keras = tf.keras
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "keras_augmentation"


def inputs():
    rng = np.random.RandomState(0)
    img = rng.randint(0, 256, (2, 5, 7, 3)).astype("float32")
    return {"img": img, "img1": img[0], "u8": img.astype("uint8"),
            "cf": np.transpose(img, (0, 3, 1, 2)).copy(), "unit": img / 255.0,
            "sq": rng.randint(0, 256, (2, 6, 6, 3)).astype("float32")}


FILLS = ("reflect", "wrap", "constant", "nearest")
CASES = []


def case(name, cls, kwargs, x="img", training=True):
    CASES.append({"name": name, "class": cls, "kwargs": kwargs, "input": x,
                  "training": training})


for interp in ("bilinear", "nearest", "bicubic", "lanczos3", "area"):
    case(f"resize_{interp}", "Resizing", {"height": 3, "width": 4, "interpolation": interp})
case("resize_up", "Resizing", {"height": 8, "width": 9})
case("resize_crop", "Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True})
case("resize_pad", "Resizing", {"height": 4, "width": 4, "pad_to_aspect_ratio": True,
                                "fill_value": 7.0})
case("resize_antialias", "Resizing", {"height": 2, "width": 3, "antialias": True})
case("resize_unbatched", "Resizing", {"height": 3, "width": 4}, "img1")
case("resize_uint8", "Resizing", {"height": 3, "width": 4}, "u8")
case("resize_cf", "Resizing", {"height": 3, "width": 4, "data_format": "channels_first"}, "cf")
case("resize_inference", "Resizing", {"height": 3, "width": 4}, training=False)
case("center_crop", "CenterCrop", {"height": 3, "width": 4})
case("center_crop_odd", "CenterCrop", {"height": 2, "width": 2}, "img1")
case("center_crop_up", "CenterCrop", {"height": 6, "width": 9})
case("center_crop_mixed", "CenterCrop", {"height": 3, "width": 9})
case("center_crop_cf", "CenterCrop", {"height": 3, "width": 4, "data_format": "channels_first"},
     "cf")
case("center_crop_uint8", "CenterCrop", {"height": 3, "width": 4}, "u8")
case("random_crop_inference", "RandomCrop", {"height": 3, "width": 4}, training=False)
case("random_crop_inference_up", "RandomCrop", {"height": 6, "width": 5}, training=False)
case("random_crop_same_height", "RandomCrop", {"height": 5, "width": 4})
case("random_crop_cf_inference", "RandomCrop",
     {"height": 3, "width": 4, "data_format": "channels_first"}, "cf", training=False)
for mode in ("horizontal", "vertical", "horizontal_and_vertical"):
    case(f"flip_{mode}_inference", "RandomFlip", {"mode": mode}, training=False)
case("flip_uint8_inference", "RandomFlip", {"mode": "horizontal"}, "u8", training=False)
for fill in FILLS:
    for interp in ("bilinear", "nearest"):
        case(f"rotation_90_{fill}_{interp}", "RandomRotation",
             {"factor": [0.25, 0.25], "fill_mode": fill, "interpolation": interp})
        case(f"rotation_36_{fill}_{interp}", "RandomRotation",
             {"factor": [0.1, 0.1], "fill_mode": fill, "interpolation": interp}, "sq")
    case(f"zoom_{fill}", "RandomZoom", {"height_factor": [0.3, 0.3],
                                        "width_factor": [-0.4, -0.4], "fill_mode": fill})
    case(f"translation_{fill}", "RandomTranslation",
         {"height_factor": [0.3, 0.3], "width_factor": [-0.45, -0.45], "fill_mode": fill,
          "interpolation": "nearest"})
    case(f"translation_frac_{fill}", "RandomTranslation",
         {"height_factor": [-0.1, -0.1], "width_factor": [0.15, 0.15], "fill_mode": fill})
case("rotation_fill_value", "RandomRotation",
     {"factor": [-0.125, -0.125], "fill_mode": "constant", "fill_value": 3.5}, "sq")
case("rotation_cf", "RandomRotation", {"factor": [0.25, 0.25], "data_format": "channels_first"},
     "cf")
case("rotation_unbatched", "RandomRotation", {"factor": [0.1, 0.1]}, "img1")
case("rotation_uint8", "RandomRotation", {"factor": [0.1, 0.1]}, "u8")
case("rotation_inference", "RandomRotation", {"factor": 0.2}, training=False)
case("zoom_in_only_height", "RandomZoom", {"height_factor": [-0.5, -0.5]})
case("zoom_cf", "RandomZoom", {"height_factor": [0.2, 0.2], "data_format": "channels_first"},
     "cf")
case("zoom_inference", "RandomZoom", {"height_factor": 0.2}, training=False)
case("translation_cf", "RandomTranslation",
     {"height_factor": [0.2, 0.2], "width_factor": [0.0, 0.0], "data_format": "channels_first"},
     "cf")
case("translation_inference", "RandomTranslation",
     {"height_factor": 0.2, "width_factor": 0.2}, training=False)
case("contrast_fixed", "RandomContrast", {"factor": [-0.5, 0.5]})
case("contrast_clip_unit", "RandomContrast", {"factor": [-0.9, 0.9], "value_range": [0, 1]},
     "unit")
case("contrast_unbatched", "RandomContrast", {"factor": [-0.5, 0.5]}, "img1")
case("contrast_inference", "RandomContrast", {"factor": 0.5}, training=False)
case("contrast_uint8_inference", "RandomContrast", {"factor": 0.5}, "u8", training=False)
case("brightness_fixed", "RandomBrightness", {"factor": [0.1, 0.1]})
case("brightness_down", "RandomBrightness", {"factor": [-0.3, -0.3], "value_range": [0, 1]},
     "unit")
case("brightness_inference", "RandomBrightness", {"factor": 0.2}, training=False)
case("height_fixed", "RandomHeight", {"factor": [0.4, 0.4]})
case("height_nearest", "RandomHeight", {"factor": [-0.4, -0.4], "interpolation": "nearest"})
case("height_inference", "RandomHeight", {"factor": 0.2}, training=False)
case("width_fixed", "RandomWidth", {"factor": [0.3, 0.3]})
case("width_inference", "RandomWidth", {"factor": 0.2}, training=False)
case("rescaling", "Rescaling", {"scale": 1 / 255.0})
# colour layers with a fixed outcome
case("grayscale_always", "RandomGrayscale", {"factor": 1.0})
case("grayscale_never", "RandomGrayscale", {"factor": 0.0})
case("grayscale_cf", "RandomGrayscale", {"factor": 1.0, "data_format": "channels_first"}, "cf")
case("invert_always", "RandomInvert", {"factor": [1.0, 1.0]})
case("invert_unit", "RandomInvert", {"factor": [1.0, 1.0], "value_range": [0, 1]}, "unit")
case("invert_inference", "RandomInvert", {}, training=False)
# Solarization draws from [lower, upper * 255]: only (0, 0) is fixed (everything inverted)
case("solarize_all", "Solarization", {"threshold_factor": [0.0, 0.0]})
case("solarize_unit", "Solarization", {"value_range": [0, 1]}, "unit")
case("solarize_inference", "Solarization", {"threshold_factor": 0.5}, training=False)
case("posterize_2", "RandomPosterization", {"factor": [2, 2]})
case("posterize_unit", "RandomPosterization", {"factor": [5, 5], "value_range": [0, 1]}, "unit")
case("auto_contrast", "AutoContrast", {})
case("auto_contrast_unit", "AutoContrast", {"value_range": [0, 1]}, "unit")
case("auto_contrast_uint8", "AutoContrast", {}, "u8")
case("equalization", "Equalization", {})
case("equalization_bins", "Equalization", {"bins": 16})
case("sharpness_fixed", "RandomSharpness", {"factor": [0.3, 0.3]})
case("degeneration_fixed", "RandomColorDegeneration", {"factor": [0.4, 0.4]})
case("saturation_fixed", "RandomSaturation", {"factor": [0.7, 0.7], "value_range": [0, 1]},
     "unit")
case("hue_fixed", "RandomHue", {"factor": [0.3, 0.3], "value_range": [0, 1]}, "unit")
case("shear_x", "RandomShear", {"x_factor": [0.2, 0.2], "y_factor": 0.0})
case("shear_y_nearest", "RandomShear", {"x_factor": 0.0, "y_factor": [0.3, 0.3],
                                        "fill_mode": "nearest", "interpolation": "nearest"})
case("blur_fixed", "RandomGaussianBlur", {"factor": 1.0, "kernel_size": 3, "sigma": [0.8, 0.8]})
case("perspective_inference", "RandomPerspective", {}, training=False)
case("max_num_boxes", "MaxNumBoundingBoxes", {"max_number": 3})
case("clahe", "ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": [2, 3]})
case("clahe_noclip", "ContrastLimitedAdaptiveHistogramEqualization",
     {"tile_grid_size": [2, 2], "clip_limit": 0}, "sq")
case("clahe_big_tiles", "ContrastLimitedAdaptiveHistogramEqualization",
     {"tile_grid_size": [3, 3], "clip_limit": 1.5, "value_range": [0, 1]}, "unit")
case("clahe_uint8", "ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": [1, 1]},
     "u8")
case("clahe_cf", "ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": [2, 2],
     "data_format": "channels_first"}, "cf", training=False)
case("elastic_inference", "RandomElasticTransform", {"scale": 0.5}, training=False)
case("elastic_never", "RandomElasticTransform", {"factor": 0.0, "fill_mode": "nearest"})
case("elastic_no_scale", "RandomElasticTransform", {"scale": 0.0}, "img1")
case("mixup_inference", "MixUp", {"alpha": 0.4}, training=False)
case("cutmix_inference", "CutMix", {"factor": 0.5}, training=False)
case("cutmix_single", "CutMix", {}, "img1")
case("erasing_inference", "RandomErasing", {"scale": 0.2, "fill_value": 3.0}, training=False)
case("erasing_never", "RandomErasing", {"factor": 0.0, "fill_value": 3.0})
case("perspective_never", "RandomPerspective", {"factor": 0.0})
case("randaugment_inference", "RandAugment", {"num_ops": 3}, training=False)
case("augmix_inference", "AugMix", {"all_ops": False}, training=False)
case("color_jitter_inference", "RandomColorJitter", {"brightness_factor": 0.2,
                                                     "hue_factor": 0.1}, training=False)
case("color_jitter_fixed", "RandomColorJitter", {"brightness_factor": [0.1, 0.1],
                                                 "contrast_factor": [-0.5, 0.5]})

ERRORS = [
    ("RandomRotation", {"factor": 1.5}), ("RandomRotation", {"factor": [0.1, 0.2, 0.3]}),
    ("RandomRotation", {"factor": "a"}), ("RandomRotation", {"factor": 0.1, "fill_mode": "x"}),
    ("RandomRotation", {"factor": 0.1, "interpolation": "bicubic"}),
    ("RandomZoom", {"height_factor": -1.0}), ("RandomZoom", {"height_factor": [0.1, 1.5]}),
    ("RandomZoom", {"height_factor": 0.1, "width_factor": "x"}),
    ("RandomZoom", {"height_factor": 0.1, "fill_mode": "mirror"}),
    ("RandomTranslation", {"height_factor": 1.2, "width_factor": 0.1}),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1, "interpolation": "area"}),
    ("RandomContrast", {"factor": -0.2}), ("RandomContrast", {"factor": 1.5}),
    ("RandomContrast", {"factor": [1.5, 2.0]}),
    ("RandomBrightness", {"factor": 1.5}), ("RandomBrightness", {"factor": [0.1, 0.2, 0.3]}),
    ("RandomBrightness", {"factor": 0.1, "value_range": 255}),
    ("RandomBrightness", {"factor": 0.1, "value_range": [0, 1, 2]}),
    ("RandomHeight", {"factor": [0.5, 0.2]}), ("RandomHeight", {"factor": -1.5}),
    ("RandomWidth", {"factor": [-2.0, 0.2]}),
    ("RandomGrayscale", {"factor": 1.5}), ("RandomInvert", {"factor": 2.0}),
    ("Solarization", {"addition_factor": 1.5}), ("RandomPosterization", {"factor": 9}),
    ("AutoContrast", {"value_range": 3}),
    ("RandomShear", {"x_factor": 1.5}), ("RandomPerspective", {"scale": 2.0}),
    ("RandomPerspective", {"interpolation": "bicubic"}),
    ("RandomGaussianBlur", {"kernel_size": 4}), ("RandomGaussianBlur", {"sigma": 2.0}),
    ("RandomErasing", {"scale": 1.5}), ("CutMix", {"factor": -0.5}),
    ("RandomHue", {"factor": 1.5}), ("RandomSaturation", {"factor": 2.0}),
    ("RandomElasticTransform", {"scale": 2.0}),
    ("RandomElasticTransform", {"interpolation": "bicubic"}),
]
CALL_ERRORS = [("RandomFlip", {}, (5, 7)), ("Resizing", {"height": 2, "width": 2}, (2, 3, 5, 7, 3)),
               ("RandomRotation", {"factor": 0.1}, (7,))]


def jsonable(value):
    return json.loads(json.dumps(value, default=lambda v: v.tolist() if hasattr(v, "tolist")
                                 else str(v)))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    data = inputs()
    arrays = {f"input_{k}": v for k, v in data.items()}
    records = []
    for c in CASES:
        layer = getattr(keras.layers, c["class"])(**c["kwargs"])
        x = data[c["input"]]
        try:
            y = np.asarray(layer(x, training=c["training"]))
        except Exception as e:  # noqa: BLE001 - recorded as what Keras does
            records.append(dict(c, error=f"{type(e).__name__}: {e}"))
            continue
        arrays[c["name"]] = y
        rec = dict(c, dtype=str(y.dtype), shape=list(y.shape), config=jsonable(layer.get_config()))
        try:
            rec["output_shape"] = jsonable(layer.compute_output_shape((None,) + x.shape[1:]))
        except Exception as e:  # noqa: BLE001 - recorded as what Keras does
            rec["output_shape"] = f"{type(e).__name__}: {e}"
        records.append(rec)
    errors = []
    for cls, kwargs in ERRORS:
        try:
            getattr(keras.layers, cls)(**kwargs)
            errors.append({"class": cls, "kwargs": kwargs, "error": None})
        except Exception as e:  # noqa: BLE001 - recorded as what Keras does
            errors.append({"class": cls, "kwargs": kwargs, "type": type(e).__name__,
                           "error": str(e)})
    for cls, kwargs, shape in CALL_ERRORS:
        try:
            getattr(keras.layers, cls)(**kwargs)(np.zeros(shape, "float32"), training=True)
            errors.append({"class": cls, "kwargs": kwargs, "shape": shape, "error": None})
        except Exception as e:  # noqa: BLE001 - recorded as what Keras does
            errors.append({"class": cls, "kwargs": kwargs, "shape": shape,
                           "type": type(e).__name__, "error": str(e)})
    model = keras.Sequential([
        keras.Input((8, 8, 3)), keras.layers.RandomFlip("horizontal", name="flip"),
        keras.layers.RandomRotation(0.1, name="rotate"), keras.layers.RandomZoom(0.1, name="zoom"),
        keras.layers.RandomHeight(0.2, name="height"), keras.layers.Resizing(6, 6, name="resize"),
        keras.layers.CenterCrop(4, 4, name="crop"),
        keras.layers.Rescaling(1.0 / 255, name="rescale")], name="augment")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        model.summary()
    (OUT / "summary.txt").write_text(buf.getvalue())
    grid = np.arange(20, dtype="float32").reshape(4, 5)
    rows = np.array([[-2.5, -1.0, -0.4, 0.0, 1.5, 3.0, 3.6, 4.5, 6.2, 9.0]], "float32")
    cols = np.array([[-3.0, -1.5, 0.2, 2.5, 4.0, 4.5, 5.5, 7.0, -6.3, 12.0]], "float32")
    for fill in ("constant", "nearest", "wrap", "reflect"):
        for order in (0, 1):
            arrays[f"map_{fill}_{order}"] = np.asarray(keras.ops.image.map_coordinates(
                grid, [rows, cols], order, fill_mode=fill, fill_value=-1.0))
    arrays["map_rows"], arrays["map_cols"], arrays["map_grid"] = rows, cols, grid
    pipeline = keras.layers.Pipeline([keras.layers.RandomFlip(seed=1),
                                      keras.layers.Resizing(3, 4)], name="pipe")
    configs = {"pipeline": jsonable(pipeline.get_config())}
    layers = keras.layers
    saved = keras.Sequential([
        keras.Input((8, 8, 3)), layers.RandomFlip("horizontal", seed=1),
        layers.RandomRotation(0.1, fill_mode="constant"), layers.RandomZoom(0.1, 0.2),
        layers.RandomTranslation(0.1, 0.1), layers.RandomContrast(0.2),
        layers.RandomBrightness(0.1), layers.RandomCrop(6, 6, seed=3),
        layers.CenterCrop(5, 5), layers.Resizing(4, 4), layers.Rescaling(1.0 / 255),
        layers.RandomColorJitter(brightness_factor=0.1), layers.Flatten(), layers.Dense(2)])
    saved.save(OUT / "augment_model.keras")
    arrays["saved_input"] = np.resize(data["img"], (2, 8, 8, 3))
    arrays["saved_predict"] = saved.predict(arrays["saved_input"], verbose=0)
    np.savez_compressed(OUT / "outputs.npz", **arrays)
    (OUT / "cases.json").write_text(json.dumps(
        {"keras": keras.version(), "cases": records, "errors": errors, "configs": configs},
        indent=1) + "\n")


if __name__ == "__main__":
    main()
