"""``keras.layers``: the layer classes, by family in the modules beside this one."""

from .activation import ELU, LeakyReLU, PReLU, ReLU, Softmax  # noqa: F401
from .attention import Attention, MultiHeadAttention  # noqa: F401
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

Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, \
    AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
MaxPool3D, AvgPool3D = MaxPooling3D, AveragePooling3D
GlobalAvgPool3D, GlobalMaxPool3D = GlobalAveragePooling3D, GlobalMaxPooling3D
from .hashing import HashedCrossing, Hashing  # noqa: F401,E402
from .preprocessing import Discretization  # noqa: F401,E402
from .audio import MelSpectrogram, STFTSpectrogram  # noqa: F401,E402
