package dev.selfdistill.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.selfdistill.UserError;
import dev.selfdistill.data.MultimodalDataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Architecture of the multimodal network: encoders and fusion chosen by name.
 *
 * @param imageEncoder encoder for the {@code image} modality ({@code cnn-small} or {@code
 *     cnn-wide})
 * @param audioEncoder encoder for the {@code audio} modality ({@code cnn-small} or {@code
 *     cnn-wide})
 * @param fusion fusion module: {@code concat}, {@code attention} or {@code gated} (see {@link
 *     Encoders#fusion})
 * @param embeddingSize size of each modality's embedding
 * @param jointSize size of the joint embedding produced by the fusion
 * @param dropout dropout probability before the classifier head
 * @param encoders encoder per modality name, for example {@code {text: text-transformer}}; it
 *     overrides {@code image_encoder} and {@code audio_encoder}. Modalities it does not name get
 *     {@code text-mean} for {@code text} and {@code tabular-mlp} for {@code tabular}
 * @param vocabularySizes number of token ids per text modality, including padding and unknown;
 *     not read from YAML but measured on the training split by {@link #forData}
 */
public record ModelConfig(
        String imageEncoder,
        String audioEncoder,
        String fusion,
        Integer embeddingSize,
        Integer jointSize,
        Double dropout,
        Map<String, String> encoders,
        @JsonIgnore Map<String, Integer> vocabularySizes) {

    static final Set<String> ENCODERS =
            Set.of("cnn-small", "cnn-wide", "text-mean", "text-transformer", "tabular-mlp");
    static final Set<String> FUSIONS = Set.of("concat", "attention", "gated");

    /** Creates a config without per-modality encoder names, as before they existed. */
    public ModelConfig(
            String imageEncoder,
            String audioEncoder,
            String fusion,
            Integer embeddingSize,
            Integer jointSize,
            Double dropout) {
        this(imageEncoder, audioEncoder, fusion, embeddingSize, jointSize, dropout, null, null);
    }

    public static ModelConfig defaults() {
        return new ModelConfig("cnn-small", "cnn-small", "concat", 64, 128, 0.1, Map.of(), Map.of());
    }

    /** Returns this config with every null field taken from {@link #defaults()}. */
    public ModelConfig withDefaults() {
        ModelConfig d = defaults();
        return new ModelConfig(
                imageEncoder != null ? imageEncoder : d.imageEncoder,
                audioEncoder != null ? audioEncoder : d.audioEncoder,
                fusion != null ? fusion : d.fusion,
                embeddingSize != null ? embeddingSize : d.embeddingSize,
                jointSize != null ? jointSize : d.jointSize,
                dropout != null ? dropout : d.dropout,
                encoders != null ? encoders : d.encoders,
                vocabularySizes != null ? vocabularySizes : d.vocabularySizes);
    }

    /** Checks every value and names the key of the first invalid one. */
    public void validate() {
        checkName("model.image_encoder", imageEncoder, ENCODERS);
        checkName("model.audio_encoder", audioEncoder, ENCODERS);
        checkName("model.fusion", fusion, FUSIONS);
        if (encoders != null) {
            for (Map.Entry<String, String> entry : encoders.entrySet()) {
                checkName("model.encoders." + entry.getKey(), entry.getValue(), ENCODERS);
            }
        }
        if (embeddingSize < 1) {
            throw new UserError("model.embedding_size must be a positive integer, got " + embeddingSize);
        }
        if (jointSize < 1) {
            throw new UserError("model.joint_size must be a positive integer, got " + jointSize);
        }
        if (fusion.equals("attention") && jointSize % Encoders.ATTENTION_HEADS != 0) {
            throw new UserError("model.joint_size must be a multiple of " + Encoders.ATTENTION_HEADS
                    + " (the attention heads) with fusion attention, got " + jointSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new UserError("model.dropout must be a probability in [0, 1), got " + dropout);
        }
    }

    /** Returns the encoder name configured for a modality. */
    public String encoderFor(String modality) {
        if (encoders != null && encoders.containsKey(modality)) {
            return encoders.get(modality);
        }
        String name =
                switch (modality) {
                    case "image" -> imageEncoder;
                    case "audio" -> audioEncoder;
                    case "text" -> "text-mean";
                    case "tabular" -> "tabular-mlp";
                    default -> null;
                };
        if (name == null) {
            throw new UserError("no encoder is configured for modality " + modality
                    + "; add it to model.encoders, for example 'encoders: {" + modality
                    + ": cnn-small}'");
        }
        return name;
    }

    /** Returns the vocabulary size of a text modality, as set by {@link #forData}. */
    public int vocabularySize(String modality) {
        Integer size = vocabularySizes == null ? null : vocabularySizes.get(modality);
        if (size == null) {
            throw new IllegalStateException("the vocabulary size of " + modality
                    + " is unknown; build the network from ModelConfig.forData(train)");
        }
        return size;
    }

    /**
     * Returns this config with the vocabulary size of every text modality measured on the
     * training split: the largest token id plus one. Every vocabulary entry occurs in the training
     * split, because the tokenizer builds its vocabulary there, so this is the vocabulary size.
     * It also checks that each modality's encoder accepts that modality's sample shape.
     *
     * @throws UserError if an encoder does not fit its modality's shape
     */
    public ModelConfig forData(MultimodalDataset train) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int m = 0; m < train.modalities().size(); m++) {
            String modality = train.modalities().get(m);
            String encoder = encoderFor(modality);
            int rank = train.shape(m).length;
            int expectedRank = encoder.startsWith("cnn-") ? 3 : 1;
            if (rank != expectedRank) {
                throw new UserError("encoder " + encoder + " of modality " + modality + " expects "
                        + (expectedRank == 3 ? "(channels, height, width)" : "a vector")
                        + " samples, but they have " + rank + " dimensions; choose another in "
                        + "model.encoders");
            }
            if (encoder.startsWith("text-")) {
                float max = 0;
                for (float id : train.inputs(m)) {
                    max = Math.max(max, id);
                }
                sizes.put(modality, Math.max(2, (int) max + 1));
            }
        }
        return new ModelConfig(imageEncoder, audioEncoder, fusion, embeddingSize, jointSize,
                dropout, encoders, Map.copyOf(sizes));
    }

    private static void checkName(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new UserError(
                    key + " has unknown value '" + value + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }
}
