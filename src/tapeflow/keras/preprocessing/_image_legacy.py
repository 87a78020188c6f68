"""Keras 2's legacy image augmentation (``keras.preprocessing.image``): the ``random_*`` and
``apply_*`` helpers on one ``(rows, cols, channels)`` image, ``ImageDataGenerator`` and the
iterators it returns (``NumpyArrayIterator`` over arrays, ``DirectoryIterator`` over a folder of
class sub-folders), which are ``PyDataset`` s that ``Model.fit`` takes.

The geometric transforms resample like SciPy's ``ndimage.affine_transform`` (spline order 0
or 1), written here in NumPy: a coordinate outside the image is first folded back in by the
fill mode (SciPy's rules, including its period of ``size - 1`` for "wrap"), then the one or
two nearest pixels along each axis are read."""

import math
import os
import threading
import warnings

import numpy as np

from ..config import floatx, image_data_format, print_msg
from ..utils._data import PyDataset
from ..utils._images import array_to_img, img_to_array, load_img

_MODES = ("constant", "nearest", "reflect", "wrap", "mirror")


def _fold(coord, size, mode):
    """Where SciPy's resampler reads along an axis of ``size`` pixels for ``coord``: inside
    ``[0, size - 1]`` as is; outside, by ``mode`` (NaN for "constant": the fill value)."""
    if size <= 1:
        return np.where((coord < 0) | (coord > size - 1), np.nan, 0.0) if mode == "constant" \
            else np.zeros_like(coord)
    low, high = coord < 0, coord > size - 1
    if mode == "constant":
        return np.where(low | high, np.nan, coord)
    if mode == "nearest":
        return np.clip(coord, 0, size - 1)
    if mode == "wrap":
        period = size - 1
        below = coord + period * (np.trunc(-coord / period) + 1)
        above = coord - period * np.trunc(coord / period)
    elif mode == "mirror":
        period = 2 * size - 2
        below = coord + period * np.trunc(-coord / period)
        below = np.where(below <= 1 - size, below + period, -below)
        above = coord - period * np.trunc(coord / period)
        above = np.where(above >= size, period - above, above)
    else:  # reflect: about the outer edges of the border pixels
        period = 2 * size
        below = np.where(coord < -period, coord + period * np.trunc(-coord / period), coord)
        below = np.where(below < -size, below + period,
                         np.where(below > -1e-15, 1e-15, -below) - 1)
        above = coord - period * np.trunc(coord / period)
        above = np.where(above >= size, period - above - 1, above)
    return np.where(low, below, np.where(high, above, coord))


def _index(i, size, mode):
    """A whole-pixel neighbor index ``i`` (at most one step outside) moved into the image:
    mirrored about the border pixel for "mirror", clamped otherwise (which is "reflect"'s
    repeat of the border pixel)."""
    i = i.astype(np.intp)
    if mode == "mirror" and size > 1:
        i = np.where(i < 0, -i, np.where(i > size - 1, 2 * size - 2 - i, i))
    return np.clip(i, 0, size - 1)


def _resample(planes, rows, cols, order, mode, cval):
    """``planes`` (channels, h, w) read at float64 coordinates ``rows``/``cols`` (h, w)."""
    h, w = planes.shape[1:]
    r, c = _fold(rows, h, mode), _fold(cols, w, mode)
    outside = np.isnan(r) | np.isnan(c)
    r, c = np.where(outside, 0.0, r), np.where(outside, 0.0, c)
    if order == 0:
        ri, ci = _index(np.floor(r + 0.5), h, mode), _index(np.floor(c + 0.5), w, mode)
        out = planes[:, ri, ci].astype(np.float64)
    else:
        r0, c0 = np.floor(r), np.floor(c)
        fr, fc = r - r0, c - c0
        rr = [_index(r0, h, mode), _index(r0 + 1, h, mode)]
        cc = [_index(c0, w, mode), _index(c0 + 1, w, mode)]
        wr, wc = [1.0 - fr, fr], [1.0 - fc, fc]
        out = sum(planes[:, rr[i], cc[j]] * (wr[i] * wc[j]) for i in (0, 1) for j in (0, 1))
    out = np.where(outside, float(cval), out)
    if np.issubdtype(planes.dtype, np.integer):
        out = np.rint(out)
    return out.astype(planes.dtype)


def _about_center(matrix, h, w):
    """``matrix`` (3x3, acting on (row, col, 1)) moved to act about the image's center."""
    orow, ocol = h / 2 - 0.5, w / 2 - 0.5
    to_center = np.array([[1, 0, orow], [0, 1, ocol], [0, 0, 1]])
    back = np.array([[1, 0, -orow], [0, 1, -ocol], [0, 0, 1]])
    return to_center @ matrix @ back


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2,
                           channel_axis=0, fill_mode="nearest", cval=0.0, order=1):
    """One image rotated by ``theta`` degrees, shifted by ``tx`` rows and ``ty`` columns,
    sheared by ``shear`` degrees and zoomed by ``zx``/``zy`` (row/column), about its center;
    pixels that map outside are filled by ``fill_mode`` (``cval`` for "constant")."""
    if len({row_axis, col_axis, channel_axis}) != 3:
        raise ValueError("'row_axis', 'col_axis', and 'channel_axis' must be distinct")
    axes = {row_axis, col_axis, channel_axis}
    if axes != {0, 1, 2}:
        raise ValueError(f"Invalid axis' indices: {axes - {0, 1, 2}}")
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError("Input arrays must be multi-channel 2D images.")
    if channel_axis not in (0, 2):
        raise ValueError("Channels are allowed and the first and last dimensions.")
    parts = []
    if theta != 0:
        t = np.deg2rad(theta)
        parts.append(np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0],
                               [0, 0, 1]]))
    if tx != 0 or ty != 0:
        parts.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        s = np.deg2rad(shear)
        parts.append(np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        parts.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if not parts:
        return x
    if fill_mode not in _MODES:
        raise RuntimeError("boundary mode not supported")
    if order not in (0, 1):
        raise NotImplementedError("apply_affine_transform supports interpolation order 0 or 1")
    matrix = parts[0]
    for part in parts[1:]:
        matrix = matrix @ part
    h, w = x.shape[row_axis], x.shape[col_axis]
    matrix = _about_center(matrix, h, w)
    planes = np.moveaxis(x, channel_axis, 0)
    if col_axis > row_axis:  # like Keras: the matrix's first axis then means the columns
        matrix = matrix[[1, 0, 2]][:, [1, 0, 2]]
    oh, ow = planes.shape[1:]
    orow, ocol = np.meshgrid(np.arange(oh, dtype=np.float64), np.arange(ow, dtype=np.float64),
                             indexing="ij")
    # summed in SciPy's order (offset first), so that borderline pixels fall on the same side
    rows = matrix[0, 2] + matrix[0, 0] * orow + matrix[0, 1] * ocol
    cols = matrix[1, 2] + matrix[1, 0] * orow + matrix[1, 1] * ocol
    out = _resample(planes, rows, cols, order, fill_mode, cval)
    return np.moveaxis(out, 0, channel_axis)


def _geometric(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order,
               **params):
    return apply_affine_transform(x, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order, **params)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                    interpolation_order=1):
    """``x`` rotated by a uniform random angle in ``[-rg, rg]`` degrees."""
    return _geometric(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order,
                      theta=np.random.uniform(-rg, rg))


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """``x`` shifted by random fractions of its height (``hrg``) and width (``wrg``)."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return _geometric(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order,
                      tx=tx, ty=ty)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """``x`` sheared by a uniform random angle in ``[-intensity, intensity]`` degrees."""
    return _geometric(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order,
                      shear=np.random.uniform(-intensity, intensity))


def _check_pair(value, name):
    if len(value) != 2:
        raise ValueError(f"`{name}` should be a tuple or list of two floats. Received: {value}")


def _zooms(zoom_range):
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        return 1, 1
    return tuple(np.random.uniform(zoom_range[0], zoom_range[1], 2))


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                cval=0.0, interpolation_order=1):
    """``x`` zoomed by random row and column factors drawn from ``zoom_range``."""
    _check_pair(zoom_range, "zoom_range")
    zx, zy = _zooms(zoom_range)
    return _geometric(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order,
                      zx=zx, zy=zy)


def apply_channel_shift(x, intensity, channel_axis=0):
    """``intensity`` added to every channel, clipped to the image's own min and max."""
    x = np.asarray(x)
    return np.clip(x + intensity, np.min(x), np.max(x))


def random_channel_shift(x, intensity_range, channel_axis=0):
    """``apply_channel_shift`` by a uniform random intensity in ``[-range, range]``."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """``x``'s brightness scaled by ``brightness`` through an 8-bit PIL image (as Keras does);
    with ``scale=False`` an image outside [0, 255] comes back in its own range."""
    from PIL import ImageEnhance

    x = np.asarray(x)
    low, high = np.min(x), np.max(x)
    outside = bool(low < 0 or high > 255)
    img = ImageEnhance.Brightness(array_to_img(x, scale=outside or scale)).enhance(brightness)
    out = img_to_array(img)
    if outside and not scale:
        out = out / 255 * (high - low) + low
    return out


def random_brightness(x, brightness_range, scale=True):
    """``apply_brightness_shift`` by a uniform random factor from ``brightness_range``."""
    if len(brightness_range) != 2:
        raise ValueError("`brightness_range should be tuple or list of two floats. "
                         f"Received: {brightness_range}")
    factor = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, factor, scale)


class Iterator(PyDataset):
    """Batches of ``n`` samples by index (``it[i]``) or endlessly (``next(it)``), reshuffled
    each epoch when ``shuffle``; ``seed`` reseeds NumPy's global generator per batch."""

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed, **kwargs):
        super().__init__(**kwargs)
        self.n, self.batch_size, self.seed, self.shuffle = n, batch_size, seed, shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _reseed(self):
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length "
                             f"{len(self)}")
        self._reseed()
        if self.index_array is None:
            self._set_index_array()
        picked = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(picked)

    def __len__(self):
        return -(-self.n // self.batch_size)

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            start = (self.batch_index * self.batch_size) % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > start + self.batch_size else 0
            self.total_batches_seen += 1
            yield self.index_array[start:start + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            picked = next(self.index_generator)
        return self._get_batches_of_transformed_samples(picked)

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError

    def _augment(self, x):
        gen = self.image_data_generator
        if gen is None:
            return x
        x = gen.apply_transform(x.astype(self.dtype), gen.get_random_transform(x.shape))
        return gen.standardize(x)

    def _save(self, batch_x, index_array, digits):
        if not self.save_to_dir:
            return
        for img, j in zip(batch_x, index_array):
            name = f"{self.save_prefix}_{j}_{np.random.randint(digits)}.{self.save_format}"
            array_to_img(img, self.data_format, scale=True).save(
                os.path.join(self.save_to_dir, name))


class NumpyArrayIterator(Iterator):
    """Augmented batches of the rank-4 array ``x`` (with ``y`` and ``sample_weight``)."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        data_format = data_format or image_data_format()
        self.dtype = dtype or floatx()
        extra = []
        if isinstance(x, (tuple, list)):
            extra = [np.asarray(a) for a in (x[1] if isinstance(x[1], list) else [x[1]])]
            x = x[0]
            for a in extra:
                if len(x) != len(a):
                    raise ValueError("All of the arrays in `x` should have the same length. "
                                     f"Found a pair with: len(x[0]) = {len(x)}, "
                                     f"len(x[?]) = {len(a)}")
        for other, name in ((y, "y` (labels)"), (sample_weight, "sample_weight`")):
            if other is not None and len(x) != len(other):
                label = "y" if name.startswith("y") else "sample_weight"
                raise ValueError(f"`x` (images tensor) and `{name} should have the same length. "
                                 f"Found: x.shape = {np.asarray(x).shape}, {label}.shape = "
                                 f"{np.asarray(other).shape}")
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f'Invalid subset name: {subset}; expected "training" or '
                                 '"validation".')
            cut = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:cut]), np.unique(y[cut:]))):
                raise ValueError("Training and validation subsets have different number of "
                                 "classes after the split. If your numpy arrays are sorted by "
                                 "the label, you might want to shuffle them.")
            part = slice(None, cut) if subset == "validation" else slice(cut, None)
            x, extra = x[part], [a[part] for a in extra]
            y = None if y is None else y[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = extra
        if self.x.ndim != 4:
            raise ValueError("Input data in `NumpyArrayIterator` should have rank 4. You passed "
                             f"an array with shape {self.x.shape}")
        axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[axis] not in (1, 3, 4):
            warnings.warn(f'NumpyArrayIterator is set to use the data format convention '
                          f'"{data_format}" (channels on axis {axis}), i.e. expected either 1, '
                          f'3, or 4 channels on axis {axis}. However, it was passed an array '
                          f'with shape {self.x.shape} ({self.x.shape[axis]} channels).',
                          stacklevel=2)
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, \
            save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = self._augment(self.x[j])
        self._save(batch_x, index_array, 10**4)
        extras = [a[index_array] for a in self.x_misc]
        inputs = [batch_x] + extras if extras else batch_x
        if self.y is None:
            return inputs
        out = (inputs, self.y[index_array])
        if self.sample_weight is not None:
            out += (self.sample_weight[index_array],)
        return out


def _image_files(directory, formats, follow_links):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links),
                                 key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(".tiff"):
                warnings.warn('Using ".tiff" files with multiple bands will cause distortion. '
                              'Please verify your output.', stacklevel=2)
            if name.lower().endswith(formats):
                yield root, name


class DirectoryIterator(Iterator):
    """Augmented batches of the images in ``directory``'s class sub-folders."""

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        self.data_format = data_format or image_data_format()
        self.dtype = dtype or floatx()
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        channels = {"rgba": 4, "rgb": 3, "grayscale": 1}.get(color_mode)
        if channels is None:
            raise ValueError(f'Invalid color mode: {color_mode}; expected "rgb", "rgba", or '
                             '"grayscale".')
        self.color_mode = color_mode
        self.image_shape = (self.target_size + (channels,) if self.data_format == "channels_last"
                            else (channels,) + self.target_size)
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, \
            save_format
        self.interpolation = interpolation
        split = None
        if subset is not None:
            share = image_data_generator._validation_split
            if subset not in ("training", "validation"):
                raise ValueError(f'Invalid subset name: {subset};expected "training" or '
                                 '"validation"')
            split = (0, share) if subset == "validation" else (share, 1)
        self.split, self.subset = split, subset
        self.directory = directory
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {class_mode}; expected one of: "
                             f"{self.allowed_class_modes}")
        self.class_mode = class_mode
        if not classes:
            classes = [d for d in sorted(os.listdir(directory))
                       if os.path.isdir(os.path.join(directory, d))]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        self.filenames, labels = [], []
        for name in classes:
            folder = os.path.join(directory, name)
            found = list(_image_files(folder, self.white_list_formats, follow_links))
            if split:
                found = found[int(split[0] * len(found)):int(split[1] * len(found))]
            for root, fname in found:
                self.filenames.append(os.path.join(
                    name, os.path.relpath(os.path.join(root, fname), folder)))
                labels.append(self.class_indices[name])
        self.samples = len(self.filenames)
        self.classes = np.array(labels, dtype="int32")
        print_msg(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    @property
    def sample_weight(self):
        return None

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = load_img(self._filepaths[j], color_mode=self.color_mode,
                           target_size=self.target_size, interpolation=self.interpolation,
                           keep_aspect_ratio=self.keep_aspect_ratio)
            batch_x[i] = self._augment(img_to_array(img, data_format=self.data_format))
            img.close()
        self._save(batch_x, index_array, 10**7)
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("binary", "sparse"):
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x


def _flip(x, axis):
    return np.flip(np.asarray(x), axis)


class ImageDataGenerator:
    """Random augmentation and normalization of image batches (Keras 2's generator)."""

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0, zoom_range=0.0,
                 channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        data_format = data_format or image_data_format()
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range, self.height_shift_range = width_shift_range, height_shift_range
        self.shear_range = shear_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode, self.cval = fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dtype = dtype or floatx()
        self.interpolation_order = interpolation_order
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError('`data_format` should be `"channels_last"` (channel after row and '
                             'column) or `"channels_first"` (channel before row and column). '
                             f'Received: {data_format}')
        self.data_format = data_format
        first = data_format == "channels_first"
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) if first else (3, 1, 2)
        if validation_split and not 0 < validation_split < 1:
            raise ValueError("`validation_split` must be strictly between 0 and 1.  Received: "
                             f"{validation_split}")
        self._validation_split = validation_split
        self.mean = self.std = self.zca_whitening_matrix = None
        if isinstance(zoom_range, (float, int)):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2 and all(isinstance(v, (float, int)) for v in zoom_range):
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError("`zoom_range` should be a float or a tuple or list of two floats. "
                             f"Received: {zoom_range}")
        overrides = "This ImageDataGenerator specifies `{}`, which overrides setting of `{}`."
        if zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn("This ImageDataGenerator specifies `zca_whitening`, which "
                              "overrides setting of `featurewise_center`.", stacklevel=2)
            if featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn("This ImageDataGenerator specifies `zca_whitening` which "
                              "overrides setting of`featurewise_std_normalization`.", stacklevel=2)
        if featurewise_std_normalization and not featurewise_center:
            self.featurewise_center = True
            warnings.warn(overrides.format("featurewise_std_normalization",
                                           "featurewise_center"), stacklevel=2)
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn(overrides.format("samplewise_std_normalization", "samplewise_center"),
                          stacklevel=2)
        if brightness_range is not None and (not isinstance(brightness_range, (tuple, list))
                                             or len(brightness_range) != 2):
            raise ValueError("`brightness_range should be tuple or list of two floats. "
                             f"Received: {brightness_range}")
        self.brightness_range = brightness_range

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        """A ``NumpyArrayIterator`` of augmented batches of ``x`` (and ``y``)."""
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed,
                                  data_format=self.data_format, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format,
                                  ignore_class_split=ignore_class_split, subset=subset,
                                  dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            follow_links=False, subset=None, interpolation="nearest",
                            keep_aspect_ratio=False):
        """A ``DirectoryIterator`` over ``directory``'s class sub-folders."""
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode,
                                 keep_aspect_ratio=keep_aspect_ratio, classes=classes,
                                 class_mode=class_mode, data_format=self.data_format,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links,
                                 subset=subset, interpolation=interpolation, dtype=self.dtype)

    def _unfit(self, option):
        warnings.warn(f"This ImageDataGenerator specifies `{option}`, but it hasn't been fit "
                      "on any training data. Fit it first by calling `.fit(numpy_data)`.",
                      stacklevel=3)

    def standardize(self, x):
        """``x`` (in place where it can) through preprocessing_function, rescale and the
        sample-wise then feature-wise normalizations."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is None:
                self._unfit("featurewise_center")
            else:
                x -= self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                self._unfit("featurewise_std_normalization")
            else:
                x /= self.std + 1e-6
        if self.zca_whitening:
            if self.zca_whitening_matrix is None:
                self._unfit("zca_whitening")
            else:
                flat = x.reshape(-1, math.prod(x.shape[-3:]))
                x = np.reshape(flat @ self.zca_whitening_matrix, x.shape)
        return x

    def _shift(self, value, size):
        if not value:
            return 0
        try:
            shift = np.random.choice(value)
            shift *= np.random.choice([-1, 1])
        except ValueError:
            shift = np.random.uniform(-value, value)
        return shift * size if np.max(value) < 1 else shift

    def get_random_transform(self, img_shape, seed=None):
        """A dict of random transform parameters for one image of shape ``img_shape``."""
        if seed is not None:
            np.random.seed(seed)
        theta = np.random.uniform(-self.rotation_range, self.rotation_range) \
            if self.rotation_range else 0
        tx = self._shift(self.height_shift_range, img_shape[self.row_axis - 1])
        ty = self._shift(self.width_shift_range, img_shape[self.col_axis - 1])
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        zx, zy = _zooms(self.zoom_range)
        flip_h = (np.random.random() < 0.5) * self.horizontal_flip
        flip_v = (np.random.random() < 0.5) * self.vertical_flip
        channel = None
        if self.channel_shift_range != 0:
            channel = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_h, "flip_vertical": flip_v,
                "channel_shift_intensity": channel, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """One image ``x`` transformed by the parameters ``get_random_transform`` made."""
        p = transform_parameters
        rows, cols, chans = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = apply_affine_transform(x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
                                   p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
                                   row_axis=rows, col_axis=cols, channel_axis=chans,
                                   fill_mode=self.fill_mode, cval=self.cval,
                                   order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, p["channel_shift_intensity"], chans)
        if p.get("flip_horizontal", False):
            x = _flip(x, cols)
        if p.get("flip_vertical", False):
            x = _flip(x, rows)
        if p.get("brightness") is not None:
            x = apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """``x`` randomly transformed (``seed`` reseeds NumPy's global generator)."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Learns the feature-wise mean, std and ZCA matrix from the rank-4 array ``x``."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError("Input to `.fit()` should have rank 4. Got array with shape: "
                             + str(x.shape))
        axis = self.channel_axis
        if x.shape[axis] not in (1, 3, 4):
            warnings.warn(f'Expected input to be images (as Numpy array) following the data '
                          f'format convention "{self.data_format}" (channels on axis {axis}), '
                          f'i.e. expected either 1, 3 or 4 channels on axis {axis}. However, it '
                          f'was passed an array with shape {x.shape} ({x.shape[axis]} '
                          'channels).', stacklevel=2)
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            x = np.stack([self.random_transform(x[i]) for _ in range(rounds)
                          for i in range(x.shape[0])]).astype(self.dtype)
        shape = [1, 1, 1]
        shape[axis - 1] = x.shape[axis]
        over = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=over), shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=over), shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            flat = np.reshape(x, (len(x), -1))
            u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
            self.zca_whitening_matrix = (u * (np.sqrt(len(x)) / (s + self.zca_epsilon))) @ u.T
