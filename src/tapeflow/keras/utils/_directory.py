"""``keras.utils.text_dataset_from_directory`` and ``image_dataset_from_directory``: a folder
per class (``labels="inferred"``), read into a batched ``tf.data.Dataset``.

Files are listed as Keras lists them (classes in sorted order, files sorted within each class's
folder tree), shuffled with ``numpy.random.RandomState(seed)`` when ``shuffle``, then split by
``validation_split``/``subset``. The files are read when the dataset is made (tapeflow's
``tf.data`` holds them in memory).
"""

import os

import numpy as np

_IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def _index(directory, labels, class_names, extensions, follow_links):
    """(paths, labels, class_names) in Keras's order."""
    if labels == "inferred":
        subdirs = sorted(d for d in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, d)))
        if class_names is not None:
            if sorted(class_names) != sorted(subdirs) and set(class_names) - set(subdirs):
                raise ValueError("The `class_names` passed did not match the names of the "
                                 f"subdirectories of the target directory. Expected: {subdirs} "
                                 f"(or a subset of it), but received: class_names="
                                 f"{class_names}")
            subdirs = list(class_names)
        folders = [(os.path.join(directory, d), i) for i, d in enumerate(subdirs)]
    else:
        subdirs, folders = [], [(directory, None)]
    paths, found = [], []
    for folder, label in folders:
        for root, _, files in sorted(os.walk(folder, followlinks=follow_links)):
            for name in sorted(files):
                if name.lower().endswith(extensions):
                    paths.append(os.path.join(root, name))
                    found.append(label)
    if labels not in ("inferred", None):
        if len(labels) != len(paths):
            raise ValueError("Expected the lengths of `labels` to match the number of files in "
                             f"the target directory. len(labels) is {len(labels)} while we "
                             f"found {len(paths)} files in directory {directory}.")
        found = list(labels)
    return paths, found, subdirs


def _dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
             validation_split, subset, follow_links, verbose, extensions, load,
             with_paths=False, ragged_lengths=False):
    from ... import data as tfdata
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError("`labels` argument should be a list/tuple of integer labels, of the "
                         "same size as the number of files in the target directory. If you "
                         "wish to infer the labels from the subdirectory names in the target "
                         "directory, pass `labels='inferred'`. If you wish to get a dataset "
                         "that only contains text/images (no labels), pass `labels=None`.")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", '
                         f"or None. Received: label_mode={label_mode}")
    if labels is None or label_mode is None:
        labels = label_mode = None
    if subset not in (None, "training", "validation", "both"):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if bool(validation_split) != (subset is not None):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    paths, found, names = _index(directory, labels, class_names, extensions, follow_links)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")
    if verbose:
        print(f"Found {len(paths)} files" + (f" belonging to {len(names)} classes."
                                            if labels is not None else "."))
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        np.random.RandomState(seed).shuffle(found)

    def make(part_paths, part_labels):
        samples = load(part_paths)
        target = None
        if label_mode is not None:
            ids = np.asarray(part_labels, "int32")
            if label_mode == "categorical":
                target = np.eye(len(names), dtype="float32")[ids]
            elif label_mode == "binary":
                target = ids.astype("float32")[:, None]
            else:
                target = ids
        if ragged_lengths:  # samples of different lengths: padded per batch
            dataset = _generated(samples, target)
        else:
            dataset = tfdata.Dataset.from_tensor_slices(
                samples if target is None else (samples, target))
        if batch_size is not None:
            dataset = dataset.padded_batch(batch_size) if ragged_lengths else \
                dataset.batch(batch_size)
        dataset.class_names = names if label_mode is not None else None
        if with_paths:
            dataset.file_paths = list(part_paths)
        return dataset
    if not validation_split:
        return make(paths, found)
    n_val = int(validation_split * len(paths))
    train = (paths[:len(paths) - n_val], found[:len(paths) - n_val])
    val = (paths[len(paths) - n_val:], found[len(paths) - n_val:])
    if subset in ("training", "both") and verbose:
        print(f"Using {len(train[0])} files for training.")
    if subset in ("validation", "both") and verbose:
        print(f"Using {len(val[0])} files for validation.")
    if subset == "both":
        return [make(*train), make(*val)]
    return make(*(train if subset == "training" else val))


def _generated(samples, target):
    """A dataset of arrays of different lengths (and their targets)."""
    import tapeflow as tf
    from ... import data as tfdata
    sample_spec = tf.TensorSpec((None,) + samples[0].shape[1:] if samples else (None, 1),
                                tf.float32)
    if target is None:
        return tfdata.Dataset.from_generator(lambda: iter(samples),
                                             output_signature=sample_spec)
    target_spec = tf.TensorSpec(target.shape[1:], tf.as_dtype(target.dtype.name))
    return tfdata.Dataset.from_generator(lambda: iter(list(zip(samples, target))),
                                         output_signature=(sample_spec, target_spec))


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, batch_size=32, sampling_rate=None,
                                 output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True):
    """A dataset of ``.wav`` files as float32 ``(samples, channels)`` (cut or zero-padded to
    ``output_sequence_length``; otherwise padded to the longest of each batch) and labels."""
    import tapeflow as tf
    if sampling_rate is not None:
        raise ValueError("`sampling_rate` needs resampling (tensorflow_io in Keras): tapeflow "
                         "reads the files at their own rate; pass sampling_rate=None.")
    if ragged:
        raise ValueError("ragged=True is not supported: tapeflow pads each batch instead.")

    def load(paths):
        clips = []
        for path in paths:
            with open(path, "rb") as f:
                audio, _ = tf.audio.decode_wav(f.read(),
                                               desired_samples=output_sequence_length or -1)
            clips.append(audio.numpy())
        if output_sequence_length is not None:
            return np.stack(clips) if clips else \
                np.zeros((0, output_sequence_length, 1), "float32")
        return clips
    return _dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                    validation_split, subset, follow_links, verbose, (".wav",), load,
                    ragged_lengths=output_sequence_length is None)


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """A dataset of ``.txt`` files' contents (``tf.string``; the first ``max_length``
    characters) and their labels."""

    def load(paths):
        texts = []
        for path in paths:
            with open(path, "rb") as f:
                text = f.read()
            texts.append(text[:max_length] if max_length is not None else text)
        return np.array(texts, dtype=object)
    return _dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                    validation_split, subset, follow_links, verbose, (".txt",), load)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True):
    """A dataset of images (``image_size`` + channels, resized with ``interpolation``: float32,
    or uint8 for ``"nearest"``; decoded with tapeflow's ``tf.image.decode_image``) and their
    labels; ``file_paths`` lists the files in dataset order."""
    import tapeflow as tf
    from ..ops import image as kimage
    channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if channels is None:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")

    def load(paths):
        images = []
        for path in paths:
            with open(path, "rb") as f:
                decoded = tf.image.decode_image(f.read(), channels=channels,
                                                expand_animations=False)
            # as in Keras: nearest keeps the decoded uint8, other methods give float32
            pixels = decoded if interpolation == "nearest" else tf.cast(decoded, "float32")
            images.append(kimage.resize(pixels, image_size, interpolation=interpolation,
                                        crop_to_aspect_ratio=crop_to_aspect_ratio,
                                        pad_to_aspect_ratio=pad_to_aspect_ratio).numpy())
        images = np.stack(images) if images else np.zeros(
            (0, *image_size, channels), "uint8" if interpolation == "nearest" else "float32")
        return np.transpose(images, (0, 3, 1, 2)) if data_format == "channels_first" else images
    return _dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed,
                    validation_split, subset, follow_links, verbose, _IMAGE_EXTENSIONS, load,
                    with_paths=True)
