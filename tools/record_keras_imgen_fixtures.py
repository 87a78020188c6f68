"""Records what Keras 3's legacy ``keras.preprocessing.image`` does (run with /work/tfenv's
python) into tests/fixtures/keras_imgen/fixtures.npz and errors.json, for
tests/test_keras_imgen.py. The inputs come from ``imgen_inputs`` below, which the test imports
too, so both sides see the same images and the same folder of PNGs."""

import contextlib
import io
import json
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "keras_imgen")
MODES = ("constant", "nearest", "reflect", "wrap", "mirror")
AFFINE = [dict(theta=30), dict(tx=1.5, ty=-2.25), dict(shear=20), dict(zx=0.7, zy=1.3),
          dict(theta=-45, tx=0.5, shear=10, zx=1.2, zy=0.8), dict(theta=90), dict(theta=180),
          dict(tx=-3, ty=4), dict(zx=2, zy=0.5)]


def image(seed=0, shape=(7, 9, 3)):
    return np.random.RandomState(seed).uniform(0, 255, shape).astype("float32")


def batch():
    return np.random.RandomState(1).uniform(0, 255, (6, 5, 6, 3)).astype("float32")


def write_pngs(root):
    """Two classes, three 6x8 RGB PNGs each, plus a file that is not an image."""
    from PIL import Image
    rng = np.random.RandomState(2)
    for label in ("cat", "dog"):
        os.makedirs(os.path.join(root, label))
        for k in range(3):
            pixels = rng.randint(0, 256, (6, 8, 3)).astype("uint8")
            Image.fromarray(pixels).save(os.path.join(root, label, f"img{k}.png"))
    with open(os.path.join(root, "cat", "notes.txt"), "w") as f:
        f.write("not an image")


def scenarios(pim):
    """Name -> array (or message) for the module ``pim`` (keras.preprocessing.image)."""
    out = {}
    for i, params in enumerate(AFFINE):
        for mode in MODES:
            for order in (0, 1):
                out[f"affine_{i}_{mode}_{order}"] = pim.apply_affine_transform(
                    image(), row_axis=0, col_axis=1, channel_axis=2, fill_mode=mode, cval=-5.0,
                    order=order, **params)
    out["affine_channels_first"] = pim.apply_affine_transform(
        image(3, (2, 5, 4)), theta=15, tx=1, zx=0.9, row_axis=1, col_axis=2, channel_axis=0)
    out["affine_cols_first"] = pim.apply_affine_transform(
        image(4, (5, 4, 2)), theta=25, ty=1, row_axis=1, col_axis=0, channel_axis=2)
    out["channel_shift"] = pim.apply_channel_shift(image(5), 40.0, 2)
    out["brightness"] = pim.apply_brightness_shift(image(6), 1.4)
    out["brightness_noscale"] = pim.apply_brightness_shift(image(6) * 2 - 100, 0.6, False)
    np.random.seed(7)
    out["random_rotation"] = pim.random_rotation(image(8), 40, 0, 1, 2)
    out["random_shift"] = pim.random_shift(image(8), 0.2, 0.3, 0, 1, 2, fill_mode="reflect")
    out["random_shear"] = pim.random_shear(image(8), 30, 0, 1, 2, fill_mode="wrap")
    out["random_zoom"] = pim.random_zoom(image(8), (0.6, 1.4), 0, 1, 2, fill_mode="constant")
    out["random_channel_shift"] = pim.random_channel_shift(image(8), 50, 2)
    out["random_brightness"] = pim.random_brightness(image(8), (0.5, 1.5))
    gen = pim.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                                 rescale=1 / 255.0)
    gen.fit(batch())
    out["fit_mean"], out["fit_std"] = gen.mean, gen.std
    out["standardize"] = gen.standardize(batch()[0].copy())
    zca = pim.ImageDataGenerator(zca_whitening=True, samplewise_center=True)
    zca.fit(batch()[:, :3, :3])
    out["zca_matrix"] = zca.zca_whitening_matrix
    out["zca_standardize"] = zca.standardize(batch()[0, :3, :3].copy())
    aug = pim.ImageDataGenerator(rotation_range=20, width_shift_range=0.1,
                                 height_shift_range=[1, 2], shear_range=5, zoom_range=0.2,
                                 channel_shift_range=10, horizontal_flip=True,
                                 vertical_flip=True, fill_mode="reflect",
                                 brightness_range=(0.6, 1.3),
                                 samplewise_center=True, validation_split=1 / 3)
    params = aug.get_random_transform((5, 6, 3), seed=11)
    out["params"] = np.array([float(params[k] or 0) for k in sorted(params)])
    labels = np.array([0, 1, 0, 1, 0, 1])
    flow = aug.flow(batch(), labels, batch_size=4, shuffle=False, seed=3)
    out["flow_len"] = np.array(len(flow))
    (out["flow_x0"], out["flow_y0"]), (out["flow_x1"], out["flow_y1"]) = flow[0], flow[1]
    out["flow_next"] = next(aug.flow(batch(), batch_size=4, shuffle=True, seed=5))
    train = aug.flow(batch(), labels, batch_size=8, shuffle=False, subset="training")
    out["flow_training_y"] = train[0][1]
    first = pim.ImageDataGenerator(data_format="channels_first", width_shift_range=2,
                                   zoom_range=[0.8, 1.1],
                                   featurewise_center=True, fill_mode="constant", cval=9.0)
    first.fit(np.moveaxis(batch(), 3, 1), augment=True, rounds=2, seed=4)
    out["first_mean"] = first.mean
    out["first_random_transform"] = first.random_transform(np.moveaxis(batch()[1], 2, 0), seed=6)
    x_cf = np.moveaxis(batch(), 3, 1)
    (out["first_x"], out["first_misc"]), out["first_y"], out["first_w"] = first.flow(
        (x_cf, np.arange(6.0)), labels, batch_size=6, shuffle=True, seed=8,
        sample_weight=np.linspace(0, 1, 6))[0]
    with tempfile.TemporaryDirectory() as root:
        write_pngs(root)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            it = pim.ImageDataGenerator(rescale=0.5).flow_from_directory(
                root, target_size=(4, 5), batch_size=4, shuffle=False)
            val = pim.ImageDataGenerator(validation_split=0.5).flow_from_directory(
                root, target_size=(6, 8), color_mode="grayscale", class_mode="sparse",
                subset="validation", shuffle=False)
        out["dir_printed"] = np.array(printed.getvalue())
        out["dir_filenames"] = np.array(it.filenames)
        out["dir_classes"] = it.classes
        (out["dir_x0"], out["dir_y0"]), (out["dir_x1"], out["dir_y1"]) = it[0], it[1]
        out["dir_val_x"], out["dir_val_y"] = val[0]
        out["dir_val_filenames"] = np.array(val.filenames)
    return out


def errors(pim):
    """Name -> 'ExceptionType: message' for bad calls."""
    calls = {
        "zoom_range": lambda: pim.ImageDataGenerator(zoom_range=(1, 2, 3)),
        "validation_split": lambda: pim.ImageDataGenerator(validation_split=2),
        "data_format": lambda: pim.ImageDataGenerator(data_format="nhwc"),
        "brightness_range": lambda: pim.ImageDataGenerator(brightness_range=3),
        "fit_rank": lambda: pim.ImageDataGenerator().fit(np.zeros((2, 3, 3))),
        "flow_rank": lambda: pim.ImageDataGenerator().flow(np.zeros((2, 3, 3))),
        "flow_y_len": lambda: pim.ImageDataGenerator().flow(np.zeros((2, 3, 3, 1)), [1]),
        "flow_subset": lambda: pim.ImageDataGenerator(validation_split=0.5).flow(
            np.zeros((2, 3, 3, 1)), subset="test"),
        "flow_class_split": lambda: pim.ImageDataGenerator(validation_split=0.5).flow(
            np.zeros((4, 3, 3, 1)), np.array([0, 0, 1, 1]), subset="training"),
        "affine_axes": lambda: pim.apply_affine_transform(np.zeros((3, 3, 1)), theta=3,
                                                          row_axis=0, col_axis=0),
        "affine_rank": lambda: pim.apply_affine_transform(np.zeros((3, 3)), theta=3),
        "affine_channel_axis": lambda: pim.apply_affine_transform(
            np.zeros((3, 3, 3)), theta=3, row_axis=0, col_axis=2, channel_axis=1),
        "random_zoom": lambda: pim.random_zoom(np.zeros((3, 3, 1)), (1,)),
        "random_brightness": lambda: pim.random_brightness(np.zeros((3, 3, 1)), (1,)),
        "iter_index": lambda: pim.ImageDataGenerator().flow(np.zeros((2, 3, 3, 1)))[5],
    }
    out = {}
    for name, call in calls.items():
        try:
            call()
            out[name] = None
        except Exception as e:  # noqa: BLE001
            out[name] = f"{type(e).__name__}: {e}"
    return out


def main():
    from keras.src.legacy.preprocessing import image as pim  # tf.keras.preprocessing.image
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, "fixtures.npz"), **scenarios(pim))
    with open(os.path.join(OUT, "errors.json"), "w") as f:
        json.dump(errors(pim), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
