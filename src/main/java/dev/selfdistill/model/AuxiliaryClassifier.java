package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A shallow classifier for deep supervision: an adapter that maps an intermediate feature to a
 * bottleneck feature of the joint embedding's size, then a linear classifier on that feature, as in
 * the shallow classifiers of "Be Your Own Teacher" (Zhang et al., 2019).
 *
 * <p>A head returns one array, so the output is {@code [feature | logits]}, shape (batch,
 * featureSize + classes); {@link #feature} and {@link #logits} split it. The feature is returned so
 * that a hint loss can pull it towards the network's deepest feature.
 */
public final class AuxiliaryClassifier extends AbstractBlock {
    private final int featureSize;
    private final Block adapter;
    private final Block classifier;

    private AuxiliaryClassifier(Block adapter, int featureSize, int numClasses) {
        this.featureSize = featureSize;
        this.adapter = addChildBlock("adapter", adapter);
        this.classifier =
                addChildBlock("classifier", Linear.builder().setUnits(numClasses).build());
    }

    /**
     * Builds a classifier for a (batch, channels, height, width) feature map: 3x3 convolution with
     * stride 2 to {@code channels} filters, BatchNorm, ReLU, global average pooling, a linear layer
     * to {@code featureSize} and ReLU, then the linear classifier. The ReLU keeps the feature
     * non-negative like the joint embedding it is compared with.
     */
    public static AuxiliaryClassifier convolutional(int channels, int featureSize, int numClasses) {
        Block adapter =
                new SequentialBlock()
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optStride(new Shape(2, 2))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(channels)
                                        .build())
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu)
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Linear.builder().setUnits(featureSize).build())
                        .add(Activation::relu);
        return new AuxiliaryClassifier(adapter, featureSize, numClasses);
    }

    /**
     * Builds a classifier for a (batch, dimension) vector: a linear layer to {@code featureSize}
     * and ReLU, then the linear classifier.
     */
    public static AuxiliaryClassifier dense(int featureSize, int numClasses) {
        Block adapter =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(featureSize).build())
                        .add(Activation::relu);
        return new AuxiliaryClassifier(adapter, featureSize, numClasses);
    }

    /** Returns the bottleneck feature, shape (batch, featureSize), of a head's output. */
    public static NDArray feature(NDArray output, int featureSize) {
        return output.get(":, 0:{}", featureSize);
    }

    /** Returns the class logits, shape (batch, classes), of a head's output. */
    public static NDArray logits(NDArray output, int featureSize) {
        return output.get(":, {}:", featureSize);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray feature = adapter.forward(store, inputs, training).singletonOrThrow();
        NDArray logits =
                classifier.forward(store, new NDList(feature), training).singletonOrThrow();
        // Two arrays: NDArrays.concat keeps the gradient (only a single array comes back detached).
        return new NDList(NDArrays.concat(new NDList(feature, logits), 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape feature = adapter.getOutputShapes(inputShapes)[0];
        Shape logits = classifier.getOutputShapes(new Shape[] {feature})[0];
        return new Shape[] {new Shape(feature.get(0), feature.get(1) + logits.get(1))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        adapter.initialize(manager, dataType, inputShapes);
        Shape feature = adapter.getOutputShapes(inputShapes)[0];
        if (feature.get(1) != featureSize) {
            throw new IllegalStateException(
                    "adapter returns " + feature + ", expected " + featureSize + " features");
        }
        classifier.initialize(manager, dataType, feature);
    }
}
