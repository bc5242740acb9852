package dev.selfdistill.model;

import ai.djl.nn.Block;
import java.util.function.Supplier;

/**
 * An extra head a method attaches to the network, trained by the same optimizer as the rest: for
 * example an auxiliary classifier on an encoder's intermediate feature map, or a projection head
 * on the joint embedding.
 *
 * @param name unique name; the head's output is {@code ModelOutput.heads().get(name)}
 * @param input what the head reads: {@code joint}, {@code embedding/MODALITY} or {@code
 *     hidden/MODALITY/STAGE} (an encoder's stage output, stage 0 first)
 * @param factory builds a fresh, uninitialised block, so that teachers get their own copy
 */
public record HeadSpec(String name, String input, Supplier<Block> factory) {
    /** Input name of the joint embedding. */
    public static final String JOINT = "joint";

    /** Returns the input name of a modality's embedding. */
    public static String embedding(String modality) {
        return "embedding/" + modality;
    }

    /** Returns the input name of an encoder stage's output. */
    public static String hidden(String modality, int stage) {
        return "hidden/" + modality + "/" + stage;
    }
}
