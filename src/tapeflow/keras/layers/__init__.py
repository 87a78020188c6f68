"""``keras.layers``: the layer classes, by family in the modules beside this one."""

from .activation import ELU, LeakyReLU, PReLU, ReLU, Softmax  # noqa: F401
from .attention import Attention, MultiHeadAttention  # noqa: F401
from .augmentation import (  # noqa: F401
    CenterCrop, RandomCrop, RandomFlip, RandomHeight, RandomRotation, RandomTranslation,
    RandomWidth, RandomZoom, Resizing)
from .augmentation import RandomPerspective, RandomShear  # noqa: F401
from .augmentation_mix import (  # noqa: F401
    AugMix, CutMix, MaxNumBoundingBoxes, MixUp, Pipeline, RandAugment, RandomErasing)
from .augmentation_mix import RandomElasticTransform  # noqa: F401
from .augmentation_color import (  # noqa: F401
    AutoContrast, RandomBrightness, RandomContrast, RandomGrayscale, RandomInvert,
    RandomPosterization, Solarization)
from .augmentation_color import (  # noqa: F401
    Equalization, RandomColorDegeneration, RandomColorJitter, RandomGaussianBlur, RandomHue,
    RandomSaturation, RandomSharpness)
from .augmentation_color import ContrastLimitedAdaptiveHistogramEqualization  # noqa: F401
from .conv import (  # noqa: F401
    AveragePooling1D, AveragePooling2D, Conv1D, Conv2D, Conv2DTranspose, Conv3D, Cropping2D,
    DepthwiseConv2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D,
    GlobalMaxPooling2D, MaxPooling1D, MaxPooling2D, SeparableConv2D, UpSampling2D, ZeroPadding2D)
from .conv import (  # noqa: F401
    AveragePooling3D, Cropping1D, Cropping3D, GlobalAveragePooling3D, GlobalMaxPooling3D,
    MaxPooling3D, UpSampling1D, UpSampling3D, ZeroPadding1D, ZeroPadding3D)
from .core import (  # noqa: F401
    Activation, Dense, Dropout, EinsumDense, Embedding, Flatten, GaussianDropout, GaussianNoise,
    Identity, Input, InputLayer, Lambda, Masking, Permute, RepeatVector, Reshape,
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)
from .layer import InputSpec, Layer, Variable, deserialize, serialize  # noqa: F401
from .merge import (  # noqa: F401
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, maximum, minimum, multiply, subtract)
from .normalization import (  # noqa: F401
    BatchNormalization, GroupNormalization, LayerNormalization, UnitNormalization)
from .preprocessing import CategoryEncoding, Normalization, Rescaling  # noqa: F401
from .text import IntegerLookup, StringLookup, TextVectorization  # noqa: F401
from .rnn import (  # noqa: F401
    GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell, TimeDistributed)
from .rnn import StackedRNNCells  # noqa: F401
from .conv import (  # noqa: F401
    Conv1DTranspose, Conv3DTranspose, DepthwiseConv1D, SeparableConv1D)
from .conv_rnn import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D  # noqa: F401
from .activation import ThresholdedReLU  # noqa: F401
from .attention import AdditiveAttention  # noqa: F401
from .attention import GroupedQueryAttention as GroupQueryAttention  # noqa: F401
from .conv import (  # noqa: F401
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D)
from .core import ReversibleEmbedding  # noqa: F401
from .merge import dot  # noqa: F401
from .normalization import RMSNormalization  # noqa: F401
from .regularization import ActivityRegularization, AlphaDropout  # noqa: F401
from .wrapper import SpectralNormalization, Wrapper  # noqa: F401
from .tfsm import TFSMLayer  # noqa: F401

Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, \
    AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
MaxPool3D, AvgPool3D = MaxPooling3D, AveragePooling3D
GlobalAvgPool3D, GlobalMaxPool3D = GlobalAveragePooling3D, GlobalMaxPooling3D

Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = \
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
from .hashing import HashedCrossing, Hashing  # noqa: F401,E402
from .preprocessing import Discretization  # noqa: F401,E402
from .audio import MelSpectrogram, STFTSpectrogram  # noqa: F401,E402
