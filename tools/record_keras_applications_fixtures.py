"""Record what Keras 3 (TF 2.21)'s ``tf.keras.applications`` builds and computes, for
tests/test_keras_applications.py:

- cases.json.gz: for each architecture in tests/keras_applications_cases.py (weights=None, small
  inputs): the model's name, summary() text, layers (name, class, output shape, parameters);
- variants.json.gz: the layer names of the deeper ResNets and DenseNets (VARIANTS);
- preprocess.json: ``preprocess_input`` of each family on small arrays, and error messages of
  bad arguments (input shapes, weights, classes, modes, data formats, decode_predictions);
- tiny.h5 + h5.json: a tiny model's weights written by Keras's legacy ``.h5`` writer (the
  layout of the ImageNet weight files), with its predictions; and a MobileNetV2's legacy file
  layout (layer names, weight names and shapes, not values) with its predictions when its
  weights are ``fill_value``'s.

    /work/tfenv/bin/python tools/record_keras_applications_fixtures.py
"""

import gzip
import json
import os
import pathlib
import sys
import tempfile
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "tests" / "fixtures" / "keras_applications"

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras_applications_cases as cases  # noqa: E402
from keras_applications_cases import (  # noqa: E402
    CASES, H5_CASE, OP_CASES, V3_CASE, VARIANTS, fill_value, images, tiny)
from tensorflow import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

apps = keras.applications


def build(module, fn, kwargs):
    keras.backend.clear_session()
    return cases.build(keras, module, fn, kwargs)


def architectures():
    out = {}
    for case, module, fn, kwargs in CASES + OP_CASES:
        model = build(module, fn, kwargs)
        out[case] = {
            "name": model.name,
            "summary": cases.summary_text(model),
            "layers": [[lay.name, type(lay).__name__, str(lay.output.shape), lay.count_params()]
                       for lay in model.layers],
            "params": [model.count_params(),
                       int(sum(np.prod(w.shape) for w in model.trainable_weights))],
        }
        print(case, len(model.layers), model.count_params())
    write_gz("cases.json.gz", out)
    variants = {}
    for module, fn in VARIANTS:
        model = build(module, fn, dict(weights=None, include_top=False, input_shape=(32, 32, 3)))
        variants[fn] = {"name": model.name, "layers": [lay.name for lay in model.layers]}
    write_gz("variants.json.gz", variants)


def write_gz(filename, record):
    text = json.dumps(record, indent=0, ensure_ascii=False) + "\n"
    (OUT / filename).write_bytes(gzip.compress(text.encode(), mtime=0))


def error(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            return [type(e).__name__, str(e)]
    return ["warning", [str(w.message) for w in caught]]


ERRORS = {
    "too_small": "apps.ResNet50(include_top=False, weights=None, input_shape=(31, 64, 3))",
    "too_small_mnv2": "apps.MobileNetV2(include_top=False, weights=None, "
                      "input_shape=(16, 16, 3))",
    "too_small_vgg": "apps.VGG16(include_top=False, weights=None, input_shape=(20, 40, 3))",
    "not_three_dims": "apps.VGG19(include_top=False, weights=None, input_shape=(32, 32))",
    "channels_imagenet": "apps.ResNet50(include_top=False, input_shape=(64, 64, 1))",
    "channels_warning": "apps.VGG16(include_top=False, weights=None, input_shape=(32, 32, 5))",
    "top_shape_imagenet": "apps.VGG16(input_shape=(64, 64, 3))",
    "top_shape_imagenet_mnv2": "apps.MobileNetV2(input_shape=(100, 100, 3))",
    "top_none_shape": "apps.ResNet50(weights=None, input_shape=(None, None, 3))",
    "bad_weights": "apps.ResNet50(weights='nowhere')",
    "bad_weights_mnv2": "apps.MobileNetV2(weights='nowhere')",
    "bad_weights_mn": "apps.MobileNet(weights='nowhere')",
    "bad_weights_densenet": "apps.DenseNet121(weights='nowhere')",
    "classes_imagenet": "apps.VGG19(classes=10)",
    "classes_imagenet_mnv2": "apps.MobileNetV2(classes=10)",
    "classes_imagenet_mn": "apps.MobileNet(classes=10)",
    "alpha_imagenet_mnv2": "apps.MobileNetV2(include_top=False, alpha=0.3, "
                           "input_shape=(96, 96, 3))",
    "alpha_imagenet_mn": "apps.MobileNet(include_top=False, alpha=0.3, input_shape=(128, 128, 3))",
    "depth_imagenet_mn": "apps.MobileNet(include_top=False, depth_multiplier=2, "
                         "input_shape=(128, 128, 3))",
    "too_small_xception": "apps.Xception(include_top=False, weights=None, "
                          "input_shape=(70, 80, 3))",
    "too_small_inception": "apps.InceptionV3(include_top=False, weights=None, "
                           "input_shape=(80, 74, 3))",
    "top_shape_xception": "apps.Xception(input_shape=(224, 224, 3))",
    "bad_weights_xception": "apps.Xception(weights='nowhere')",
    "bad_weights_inception": "apps.InceptionV3(weights='nowhere')",
    "bad_weights_resnet_v2": "apps.ResNet50V2(weights='nowhere')",
    "classes_imagenet_inception": "apps.InceptionV3(classes=10)",
    "classes_imagenet_densenet": "apps.DenseNet121(classes=10)",
    "bad_weights_efficientnet": "apps.EfficientNetB0(weights='nowhere')",
    "classes_imagenet_efficientnet": "apps.EfficientNetB1(classes=10)",
    "top_shape_efficientnet": "apps.EfficientNetB2(input_shape=(224, 224, 3))",
    "bad_weights_inception_resnet": "apps.InceptionResNetV2(weights='nowhere')",
    "too_small_inception_resnet": "apps.InceptionResNetV2(include_top=False, weights=None, "
                                  "input_shape=(74, 74, 3))",
    "bad_weights_efficientnet_v2": "apps.EfficientNetV2S(weights='nowhere')",
    "classes_imagenet_efficientnet_v2": "apps.EfficientNetV2B0(classes=10)",
    "bad_weights_mobilenet_v3": "apps.MobileNetV3Small(weights='nowhere')",
    "too_small_mobilenet_v3": "apps.MobileNetV3Large(input_shape=(31, 64, 3), weights=None)",
    "alpha_imagenet_mobilenet_v3": "apps.MobileNetV3Small(alpha=0.5, input_shape=(224, 224, 3))",
    "bad_weights_convnext": "apps.ConvNeXtTiny(weights='nowhere')",
    "classes_imagenet_convnext": "apps.ConvNeXtBase(classes=10)",
    "bad_weights_nasnet": "apps.NASNetMobile(weights='nowhere')",
    "dynamic_shape_nasnet": "apps.NASNetLarge(input_shape=(None, None, 3), include_top=False)",
    "top_shape_nasnet": "apps.NASNetMobile(input_shape=(331, 331, 3))",
    "mode": "apps.imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode='bgr')",
    "data_format": "apps.vgg16.preprocess_input(np.zeros((1, 2, 2, 3)), data_format='nhwc')",
    "decode_shape": "apps.resnet50.decode_predictions(np.zeros((2, 10)))",
    "decode_rank": "apps.vgg16.decode_predictions(np.zeros((1000,)))",
}


def preprocess():
    x = (np.arange(2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 3) * 10.0)
    out = {"input": x.tolist(), "families": {}, "errors": {}}
    families = ["vgg16", "vgg19", "resnet", "resnet50", "resnet_v2", "mobilenet",
                "mobilenet_v2", "densenet", "xception", "inception_v3", "inception_resnet_v2",
                "efficientnet", "efficientnet_v2", "mobilenet_v3", "convnext", "nasnet",
                "imagenet_utils"]
    for fam in families:
        pre = getattr(apps, fam).preprocess_input
        got = {
            "f32": pre(x.copy()),
            "u8": pre(x.astype(np.uint8)),
            "f64": pre(x.astype(np.float64)),
            "three_d": pre(x[0].copy()),
            "channels_first": pre(x.transpose(0, 3, 1, 2).copy(), data_format="channels_first"),
            "tensor": np.asarray(pre(keras.ops.convert_to_tensor(x))),
        }
        if fam == "imagenet_utils":
            got["torch"] = pre(x.copy(), mode="torch")
            got["tf"] = pre(x.copy(), mode="tf")
        out["families"][fam] = {k: [str(np.asarray(v).dtype), np.asarray(v).tolist()]
                                for k, v in got.items()}
    for key, code in ERRORS.items():
        out["errors"][key] = [code, error(lambda code=code: eval(code))]
    (OUT / "preprocess.json").write_text(json.dumps(out, indent=0) + "\n")


def layout(f):
    def text(v):
        return v.decode() if isinstance(v, bytes) else str(v)
    names = [text(n) for n in f.attrs["layer_names"]]
    return [[n, [[text(w), list(f[n][text(w)].shape)] for w in f[n].attrs["weight_names"]]]
            for n in names]


def legacy_h5():
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    model = tiny(keras)
    x = images((2, 8, 8, 3), seed=1) / 255.0
    path = OUT / "tiny.h5"
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    record = {"tiny": {"input_seed": 1, "predictions": model.predict(x, verbose=0).tolist()}}
    module, fn, kwargs = H5_CASE
    model = build(module, fn, kwargs)
    for k, w in enumerate(model.weights):
        w.assign(fill_value(k, tuple(w.shape), w.path))
    with tempfile.TemporaryDirectory() as tmp:
        with h5py.File(os.path.join(tmp, "m.h5"), "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
        with h5py.File(os.path.join(tmp, "m.h5"), "r") as f:
            record["layout"] = layout(f)
            record["weight_paths"] = [w.path for w in model.weights]
    x = apps.mobilenet_v2.preprocess_input(images((2, 32, 32, 3), seed=2))
    record["mobilenet_v2_predictions"] = model.predict(x, verbose=0).tolist()
    module, fn, kwargs = V3_CASE
    model = build(module, fn, kwargs)
    for k, w in enumerate(model.weights):
        w.assign(fill_value(k, tuple(w.shape), w.path))
    record["mobilenet_v3_predictions"] = model.predict(images((2, 32, 32, 3), seed=4),
                                                       verbose=0).tolist()
    (OUT / "h5.json").write_text(json.dumps(record, indent=0) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    legacy_h5()
    preprocess()
    architectures()
    for p in sorted(OUT.iterdir()):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
