package dev.selfdistill.model;

import dev.selfdistill.UserError;
import java.util.Map;
import java.util.Set;

/**
 * Architecture of the multimodal network: encoders and fusion chosen by name.
 *
 * @param imageEncoder encoder for image inputs ({@code cnn-small} or {@code cnn-wide})
 * @param audioEncoder encoder for spectrogram inputs ({@code cnn-small} or {@code cnn-wide})
 * @param fusion fusion module ({@code concat}: concatenation followed by an MLP)
 * @param embeddingSize size of each modality's embedding
 * @param jointSize size of the joint embedding produced by the fusion
 * @param dropout dropout probability before the classifier head
 */
public record ModelConfig(
        String imageEncoder,
        String audioEncoder,
        String fusion,
        Integer embeddingSize,
        Integer jointSize,
        Double dropout) {

    static final Set<String> ENCODERS = Set.of("cnn-small", "cnn-wide");
    static final Set<String> FUSIONS = Set.of("concat");

    public static ModelConfig defaults() {
        return new ModelConfig("cnn-small", "cnn-small", "concat", 64, 128, 0.1);
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
                dropout != null ? dropout : d.dropout);
    }

    /** Checks every value and names the key of the first invalid one. */
    public void validate() {
        checkName("model.image_encoder", imageEncoder, ENCODERS);
        checkName("model.audio_encoder", audioEncoder, ENCODERS);
        checkName("model.fusion", fusion, FUSIONS);
        if (embeddingSize < 1) {
            throw new UserError("model.embedding_size must be a positive integer, got " + embeddingSize);
        }
        if (jointSize < 1) {
            throw new UserError("model.joint_size must be a positive integer, got " + jointSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new UserError("model.dropout must be a probability in [0, 1), got " + dropout);
        }
    }

    /** Returns the encoder name configured for a modality. */
    public String encoderFor(String modality) {
        Map<String, String> byModality = Map.of("image", imageEncoder, "audio", audioEncoder);
        String name = byModality.get(modality);
        if (name == null) {
            throw new UserError("no encoder is configured for modality " + modality);
        }
        return name;
    }

    private static void checkName(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new UserError(
                    key + " has unknown value '" + value + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }
}
