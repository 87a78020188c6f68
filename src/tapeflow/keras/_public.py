"""The public faces of ``tf.keras``'s namespaces: each shows exactly the names TF 2.21's
``tf.keras`` has there (tests/fixtures/api/keras_names.json), so implementation details (``np``,
``math_ops``, helper functions such as ``losses.mean_squared_error``, which TF's ``tf.keras.losses``
lacks) are not reachable as ``tf.keras.<namespace>.<name>``.

The implementation modules stay as they are: code inside tapeflow imports them by module path
(``from .losses import X`` and ``sys.modules`` still give the full module). ``install()`` puts a
``Namespace`` in place of each module attribute of its parent package; it forwards the listed
names (and private ones) to the module and raises ``AttributeError`` for the rest, as a module
does. Setting an attribute on it sets it on the module. Names TF has there that the module lacks
may come from keras/_api_extra.py.
"""

import sys
import types

# TF 2.21's public names per namespace (submodules included), as tools/record_keras_api_names.py
# recorded them.
PUBLIC = {
    "activations": """
        celu deserialize elu exponential gelu get glu hard_shrink hard_sigmoid hard_silu
        hard_swish hard_tanh leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu
        serialize sigmoid silu soft_shrink softmax softplus softsign sparse_plus sparse_sigmoid
        sparsemax squareplus swish tanh tanh_shrink threshold""",
    "callbacks": """
        BackupAndRestore CSVLogger Callback CallbackList EarlyStopping History LambdaCallback
        LearningRateScheduler ModelCheckpoint OrbaxCheckpoint ProgbarLogger ReduceLROnPlateau
        RemoteMonitor SwapEMAWeights TensorBoard TerminateOnNaN""",
    "config": """
        backend disable_flash_attention disable_interactive_logging disable_traceback_filtering
        dtype_policy enable_flash_attention enable_interactive_logging enable_traceback_filtering
        enable_unsafe_deserialization epsilon floatx image_data_format is_flash_attention_enabled
        is_interactive_logging_enabled is_nnx_enabled is_traceback_filtering_enabled max_epochs
        max_steps_per_epoch set_backend set_dtype_policy set_epsilon set_floatx
        set_image_data_format set_max_epochs set_max_steps_per_epoch""",
    "export": "ExportArchive",
    "wrappers": "SKLearnClassifier SKLearnRegressor SKLearnTransformer",
    "constraints": """
        Constraint MaxNorm MinMaxNorm NonNeg UnitNorm deserialize get max_norm min_max_norm
        non_neg serialize unit_norm""",
    "initializers": """
        Constant GlorotNormal GlorotUniform HeNormal HeUniform Identity IdentityInitializer
        Initializer LecunNormal LecunUniform Ones Orthogonal OrthogonalInitializer RandomNormal
        RandomUniform STFT STFTInitializer TruncatedNormal VarianceScaling Zeros constant
        deserialize get glorot_normal glorot_uniform he_normal he_uniform identity lecun_normal
        lecun_uniform ones orthogonal random_normal random_uniform serialize stft truncated_normal
        variance_scaling zeros""",
    "layers": """
        Activation ActivityRegularization AdaptiveAveragePooling1D AdaptiveAveragePooling2D
        AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D
        Add AdditiveAttention AlphaDropout Attention AugMix AutoContrast Average AveragePooling1D
        AveragePooling2D AveragePooling3D AvgPool1D AvgPool2D AvgPool3D BatchNormalization
        Bidirectional CategoryEncoding CenterCrop Concatenate
        ContrastLimitedAdaptiveHistogramEqualization Conv1D Conv1DTranspose Conv2D Conv2DTranspose
        Conv3D Conv3DTranspose ConvLSTM1D ConvLSTM2D ConvLSTM3D Convolution1D
        Convolution1DTranspose Convolution2D Convolution2DTranspose Convolution3D
        Convolution3DTranspose Cropping1D Cropping2D Cropping3D CutMix Dense DepthwiseConv1D
        DepthwiseConv2D Discretization Dot Dropout ELU EinsumDense Embedding Equalization Flatten
        FlaxLayer GRU GRUCell GaussianDropout GaussianNoise GlobalAveragePooling1D
        GlobalAveragePooling2D GlobalAveragePooling3D GlobalAvgPool1D GlobalAvgPool2D
        GlobalAvgPool3D GlobalMaxPool1D GlobalMaxPool2D GlobalMaxPool3D GlobalMaxPooling1D
        GlobalMaxPooling2D GlobalMaxPooling3D GroupNormalization GroupQueryAttention
        HashedCrossing Hashing Identity Input InputLayer InputSpec IntegerLookup JaxLayer LSTM
        LSTMCell Lambda Layer LayerNormalization LeakyReLU Masking MaxNumBoundingBoxes MaxPool1D
        MaxPool2D MaxPool3D MaxPooling1D MaxPooling2D MaxPooling3D Maximum MelSpectrogram Minimum
        MixUp MultiHeadAttention Multiply Normalization PReLU Permute Pipeline RMSNormalization
        RNN RandAugment RandomBrightness RandomColorDegeneration RandomColorJitter RandomContrast
        RandomCrop RandomElasticTransform RandomErasing RandomFlip RandomGaussianBlur
        RandomGrayscale RandomHeight RandomHue RandomInvert RandomPerspective RandomPosterization
        RandomRotation RandomSaturation RandomSharpness RandomShear RandomTranslation RandomWidth
        RandomZoom ReLU RepeatVector Rescaling Reshape Resizing ReversibleEmbedding
        STFTSpectrogram SeparableConv1D SeparableConv2D SeparableConvolution1D
        SeparableConvolution2D SimpleRNN SimpleRNNCell Softmax Solarization SpatialDropout1D
        SpatialDropout2D SpatialDropout3D SpectralNormalization StackedRNNCells StringLookup
        Subtract TFSMLayer TextVectorization ThresholdedReLU TimeDistributed TorchModuleWrapper
        UnitNormalization UpSampling1D UpSampling2D UpSampling3D Wrapper ZeroPadding1D
        ZeroPadding2D ZeroPadding3D add average concatenate deserialize dot maximum minimum
        multiply serialize subtract""",
    "losses": """
        BinaryCrossentropy BinaryFocalCrossentropy CTC CategoricalCrossentropy
        CategoricalFocalCrossentropy CategoricalGeneralizedCrossEntropy CategoricalHinge Circle
        CosineSimilarity Dice Hinge Huber KLD KLDivergence LogCosh Loss MAE MAPE MSE MSLE
        MeanAbsoluteError MeanAbsolutePercentageError MeanSquaredError MeanSquaredLogarithmicError
        Poisson Reduction SparseCategoricalCrossentropy SquaredHinge Tversky binary_crossentropy
        binary_focal_crossentropy categorical_crossentropy categorical_focal_crossentropy
        categorical_generalized_cross_entropy categorical_hinge circle cosine_similarity ctc
        deserialize dice get hinge huber kld kullback_leibler_divergence logcosh mae mape mse msle
        poisson serialize sparse_categorical_crossentropy squared_hinge tversky""",
    "metrics": """
        AUC Accuracy BinaryAccuracy BinaryCrossentropy BinaryIoU CategoricalAccuracy
        CategoricalCrossentropy CategoricalHinge ConcordanceCorrelation CosineSimilarity F1Score
        FBetaScore FalseNegatives FalsePositives Hinge IoU KLD KLDivergence LogCoshError MAE MAPE
        MSE MSLE Mean MeanAbsoluteError MeanAbsolutePercentageError MeanIoU MeanMetricWrapper
        MeanSquaredError MeanSquaredLogarithmicError Metric OneHotIoU OneHotMeanIoU
        PearsonCorrelation Poisson Precision PrecisionAtRecall R2Score Recall RecallAtPrecision
        RootMeanSquaredError SensitivityAtSpecificity SparseCategoricalAccuracy
        SparseCategoricalCrossentropy SparseTopKCategoricalAccuracy SpecificityAtSensitivity
        SquaredHinge Sum TopKCategoricalAccuracy TrueNegatives TruePositives binary_accuracy
        binary_crossentropy binary_focal_crossentropy categorical_accuracy
        categorical_crossentropy categorical_focal_crossentropy categorical_hinge
        concordance_correlation deserialize get hinge huber kld kullback_leibler_divergence
        logcosh mae mape mse msle pearson_correlation poisson serialize
        sparse_categorical_accuracy sparse_categorical_crossentropy
        sparse_top_k_categorical_accuracy squared_hinge top_k_categorical_accuracy""",
    "models": """
        Model Sequential clone_model load_model model_from_json save_model""",
    "optimizers": """
        Adadelta Adafactor Adagrad Adam AdamW Adamax Ftrl Lamb Lion LossScaleOptimizer
        MultiOptimizer Muon Nadam Optimizer OptimizerMap RMSprop SGD ScheduleFreeAdamW deserialize
        get legacy schedules serialize""",
    "optimizers.schedules": """
        CosineDecay CosineDecayRestarts ExponentialDecay InverseTimeDecay LearningRateSchedule
        PiecewiseConstantDecay PolynomialDecay deserialize serialize""",
    "regularizers": """
        L1 L1L2 L2 OrthogonalRegularizer Regularizer deserialize get l1 l1_l2 l2
        orthogonal_regularizer serialize""",
    "datasets": """
        boston_housing california_housing cifar10 cifar100 fashion_mnist imdb mnist reuters""",
    "datasets.boston_housing": "load_data",
    "datasets.california_housing": "load_data",
    "datasets.cifar10": "load_data",
    "datasets.cifar100": "load_data",
    "datasets.fashion_mnist": "load_data",
    "datasets.imdb": "get_word_index load_data",
    "datasets.mnist": "load_data",
    "datasets.reuters": "get_label_names get_word_index load_data",
    "utils": """
        Config CustomObjectScope FeatureSpace Progbar PyDataset Sequence array_to_img
        audio_dataset_from_directory bounding_boxes clear_session custom_object_scope
        deserialize_keras_object disable_interactive_logging enable_interactive_logging
        get_custom_objects get_file get_registered_name get_registered_object get_source_inputs
        image_dataset_from_directory img_to_array is_interactive_logging_enabled is_keras_tensor
        legacy load_img model_to_dot normalize pack_x_y_sample_weight pad_sequences plot_model
        register_keras_serializable save_img serialize_keras_object set_random_seed split_dataset
        standardize_dtype text_dataset_from_directory timeseries_dataset_from_array to_categorical
        unpack_x_y_sample_weight""",
}


class Namespace(types.ModuleType):
    """A module's public face: its TF-public names and its private ones, nothing else."""

    def __init__(self, module, names, extra=None):
        super().__init__(module.__name__, module.__doc__)
        object.__setattr__(self, "_Namespace__module", module)
        object.__setattr__(self, "_Namespace__names", frozenset(names))
        object.__setattr__(self, "_Namespace__extra", dict(extra or {}))

    def __getattr__(self, name):
        if name.startswith("_"):
            return getattr(self.__module, name)
        if name in self.__names:
            if hasattr(self.__module, name) or name not in self.__extra:
                return getattr(self.__module, name)
            return self.__extra[name]
        raise AttributeError(f"module '{self.__name__}' has no attribute '{name}'")

    def __setattr__(self, name, value):
        setattr(self.__module, name, value)

    def __delattr__(self, name):
        delattr(self.__module, name)

    @property
    def __dict__(self):
        """``vars()`` of the face: the module's TF-public and private names (code that looks
        classes up by name, such as the ``.keras`` loader, reads it)."""
        module = self.__module
        shown = {k: v for k, v in vars(module).items() if k in self.__names or k.startswith("_")}
        shown.update((k, v) for k, v in self.__extra.items() if k not in shown)
        return shown

    def __dir__(self):
        return sorted(n for n in self.__names if hasattr(self.__module, n) or n in self.__extra)

    def __repr__(self):
        return repr(self.__module)


def install():
    """Replace each namespace module attribute of ``tapeflow.keras`` by its public face."""
    from ._api_extra import SOURCES
    root = sys.modules[__name__.rpartition(".")[0]]
    for ns in sorted(PUBLIC, key=lambda n: -n.count(".")):
        parent_name, _, leaf = f"{root.__name__}.{ns}".rpartition(".")
        parent = sys.modules[parent_name]
        module = sys.modules[f"{parent_name}.{leaf}"]
        setattr(parent, leaf, Namespace(module, PUBLIC[ns].split(), SOURCES.get(ns)))
