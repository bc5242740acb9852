package dev.selfdistill.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import dev.selfdistill.UserError;
import java.util.List;

/** Registry of encoders and fusion modules by name. */
public final class Encoders {
    /** Attention heads of the {@code attention} fusion; the joint size must be a multiple. */
    public static final int ATTENTION_HEADS = 4;

    private Encoders() {}

    /**
     * Builds an encoder for any modality: the image and audio encoders of {@link #encoder(String,
     * int)}, and for (batch, features) inputs:
     *
     * <ul>
     *   <li>{@code text-mean}: token embedding of width {@code embeddingSize}, mean over the
     *       non-padding tokens (the stage), then a linear layer and ReLU;
     *   <li>{@code text-transformer}: the same with a learned positional embedding and one
     *       Transformer encoder layer (4 heads, feed-forward width {@code 2 * embeddingSize})
     *       before the pooling;
     *   <li>{@code tabular-mlp}: linear layer to {@code 2 * embeddingSize} and ReLU (the stage),
     *       then a linear layer to {@code embeddingSize} and ReLU.
     * </ul>
     *
     * @param vocabularySize number of token ids of a text input; ignored by other encoders
     */
    public static EncoderBlock encoder(String name, int embeddingSize, int vocabularySize) {
        return switch (name) {
            case "text-mean" -> text(vocabularySize, embeddingSize, false);
            case "text-transformer" -> text(vocabularySize, embeddingSize, true);
            case "tabular-mlp" -> new EncoderBlock(
                    List.of(new SequentialBlock()
                            .add(Linear.builder().setUnits(2L * embeddingSize).build())
                            .add(Activation::relu)),
                    dense(embeddingSize));
            default -> encoder(name, embeddingSize);
        };
    }

    /** Returns whether the named encoder reads token ids and so needs a vocabulary size. */
    public static boolean readsTokens(String name) {
        return name.startsWith("text-");
    }

    private static EncoderBlock text(int vocabularySize, int embeddingSize, boolean transformer) {
        if (transformer && embeddingSize % TokenEmbedding.HEADS != 0) {
            throw new UserError("model.embedding_size must be a multiple of " + TokenEmbedding.HEADS
                    + " for text-transformer, got " + embeddingSize);
        }
        return new EncoderBlock(
                List.of(new TokenEmbedding(vocabularySize, embeddingSize, transformer)),
                dense(embeddingSize));
    }

    private static Block dense(int units) {
        return new SequentialBlock().add(Linear.builder().setUnits(units).build()).add(Activation::relu);
    }

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
     * Builds the fusion module. Its input is {@code [concatenated, presence]}: the masked modality
     * embeddings concatenated in modality order (batch, M * embedding), and the presence mask
     * (batch, M). Its output is the (batch, jointSize) joint embedding.
     *
     * <ul>
     *   <li>{@code concat}: linear layer to {@code jointSize}, ReLU, dropout ({@link
     *       ConcatFusion});
     *   <li>{@code attention}: a Transformer layer over one token per modality and a summary
     *       token ({@link AttentionFusion});
     *   <li>{@code gated}: a gated multimodal unit ({@link GatedFusion}).
     * </ul>
     *
     * @param modalities number of modalities M
     */
    public static Block fusion(String name, int jointSize, double dropout, int modalities) {
        return switch (name) {
            case "concat" -> new ConcatFusion(jointSize, dropout);
            case "attention" -> new AttentionFusion(modalities, jointSize, dropout);
            case "gated" -> new GatedFusion(modalities, jointSize, dropout);
            default -> throw new UserError("unknown fusion '" + name + "'; allowed: " + ModelConfig.FUSIONS);
        };
    }
}
