package dev.selfdistill.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.selfdistill.UserError;
import java.util.List;

/** Registry of encoders and fusion modules by name. */
public final class Encoders {
    private Encoders() {}

    /**
     * Builds an encoder that maps a (batch, channels, height, width) input to a (batch,
     * embeddingSize) embedding.
     *
     * <p>{@code cnn-small}: two blocks of 3x3 convolution (16 then 32 filters), BatchNorm, ReLU and
     * 2x2 max pooling (the two stages), then a linear layer and ReLU. {@code cnn-wide} doubles the filters; it is
     * the larger teacher for classic distillation.
     */
    public static EncoderBlock encoder(String name, int embeddingSize) {
        return switch (name) {
            case "cnn-small" -> cnn(16, 32, embeddingSize);
            case "cnn-wide" -> cnn(32, 64, embeddingSize);
            default -> throw new UserError("unknown encoder '" + name + "'; allowed: " + ModelConfig.ENCODERS);
        };
    }

    private static EncoderBlock cnn(int firstFilters, int secondFilters, int embeddingSize) {
        Block projection =
                new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(embeddingSize).build())
                        .add(Activation::relu);
        return new EncoderBlock(List.of(convBlock(firstFilters), convBlock(secondFilters)), projection);
    }

    private static Block convBlock(int filters) {
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .setFilters(filters)
                                .build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }

    /**
     * Builds the fusion module applied to the concatenated, masked modality embeddings. {@code
     * concat}: linear layer to {@code jointSize}, ReLU, dropout.
     */
    public static Block fusion(String name, int jointSize, double dropout) {
        if (!name.equals("concat")) {
            throw new UserError("unknown fusion '" + name + "'; allowed: " + ModelConfig.FUSIONS);
        }
        return new SequentialBlock()
                .add(Linear.builder().setUnits(jointSize).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate((float) dropout).build());
    }
}
