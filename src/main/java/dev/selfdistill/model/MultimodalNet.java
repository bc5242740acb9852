package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A late-fusion multimodal classifier: one encoder per modality, a fusion module over the
 * concatenated embeddings, and a classifier head on the joint embedding.
 *
 * <p>Input: {@code [x_0, ..., x_{M-1}, presence]} where {@code presence} has shape (batch, M) with 1
 * where the sample has modality m. A missing modality's embedding is multiplied by 0 before the
 * fusion, so the fused prediction never depends on the content of a missing input. Output: see
 * {@link ModelOutput}. Per-modality classifier heads and extra heads ({@link HeadSpec}) exist only
 * when a method trains them, so a baseline's parameter count is honest.
 */
public final class MultimodalNet extends AbstractBlock {
    private final ModelConfig config;
    private final List<String> modalityNames;
    private final int numClasses;
    private final boolean modalityHeads;
    private final List<EncoderBlock> encoders = new ArrayList<>();
    private final Block fusion;
    private final Block head;
    private final List<Block> heads = new ArrayList<>();
    private final List<HeadSpec> headSpecs;
    private final List<Block> extraHeads = new ArrayList<>();

    /** Builds a network without extra heads. */
    public MultimodalNet(ModelConfig config, List<String> modalityNames, int numClasses, boolean modalityHeads) {
        this(config, modalityNames, numClasses, modalityHeads, List.of());
    }

    /**
     * Builds the network.
     *
     * @param config architecture
     * @param modalityNames modality names in input order
     * @param numClasses number of classes
     * @param modalityHeads whether to add a classifier head per modality
     * @param headSpecs extra heads, outputs appended in this order
     */
    public MultimodalNet(ModelConfig config, List<String> modalityNames, int numClasses, boolean modalityHeads, List<HeadSpec> headSpecs) {
        this.config = config;
        this.modalityNames = List.copyOf(modalityNames);
        this.numClasses = numClasses;
        this.modalityHeads = modalityHeads;
        this.headSpecs = List.copyOf(headSpecs);
        for (String modality : modalityNames) {
            String encoder = config.encoderFor(modality);
            int vocabulary = Encoders.readsTokens(encoder) ? config.vocabularySize(modality) : 0;
            encoders.add(addChildBlock(modality + "_encoder", Encoders.encoder(encoder, config.embeddingSize(), vocabulary)));
        }
        fusion = addChildBlock("fusion", Encoders.fusion(config.fusion(), config.jointSize(), config.dropout(), modalityNames.size()));
        head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        if (modalityHeads) {
            for (String modality : modalityNames) {
                heads.add(addChildBlock(modality + "_head", Linear.builder().setUnits(numClasses).build()));
            }
        }
        Set<String> names = new HashSet<>();
        for (HeadSpec spec : this.headSpecs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("two heads are named " + spec.name());
            }
            checkInput(spec);
            extraHeads.add(addChildBlock("extra_" + spec.name(), spec.factory().get()));
        }
    }

    /** Returns a fresh, uninitialised network of the same architecture and heads. */
    public MultimodalNet newSameArchitecture() {
        return new MultimodalNet(config, modalityNames, numClasses, modalityHeads, headSpecs);
    }

    public int modalities() {
        return modalityNames.size();
    }

    public List<String> modalityNames() {
        return modalityNames;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean hasModalityHeads() {
        return modalityHeads;
    }

    public List<HeadSpec> headSpecs() {
        return headSpecs;
    }

    /** Returns the number of stages of a modality's encoder. */
    public int stageCount(int modality) {
        return encoders.get(modality).stageCount();
    }

    private void checkInput(HeadSpec spec) {
        String input = spec.input();
        if (input.equals(HeadSpec.JOINT)) {
            return;
        }
        String[] parts = input.split("/");
        boolean valid =
                (parts.length == 2 && parts[0].equals("embedding") && modalityNames.contains(parts[1]))
                        || (parts.length == 3 && parts[0].equals("hidden") && modalityNames.contains(parts[1]) && parts[2].matches("\\d+")
                                && Integer.parseInt(parts[2]) < encoders.get(modalityNames.indexOf(parts[1])).stageCount());
        if (!valid) {
            throw new IllegalArgumentException("head " + spec.name() + " reads unknown input " + input);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        int modalities = modalities();
        NDArray presence = inputs.get(modalities);
        List<NDArray> embeddings = new ArrayList<>();
        List<NDList> hidden = new ArrayList<>();
        for (int m = 0; m < modalities; m++) {
            NDList encoded = encoders.get(m).forward(store, new NDList(inputs.get(m)), training);
            embeddings.add(encoded.get(0));
            hidden.add(new NDList(encoded.subList(1, encoded.size())));
        }
        NDArray joint = joint(store, embeddings, presence, training);
        NDArray logits = head.forward(store, new NDList(joint), training).singletonOrThrow();
        NDList output = new NDList(joint, logits);
        output.addAll(embeddings);
        for (int m = 0; m < heads.size(); m++) {
            output.add(heads.get(m).forward(store, new NDList(embeddings.get(m)), training).singletonOrThrow());
        }
        Map<String, NDArray> named = new HashMap<>();
        named.put(HeadSpec.JOINT, joint);
        for (int m = 0; m < modalities; m++) {
            String modality = modalityNames.get(m);
            named.put(HeadSpec.embedding(modality), embeddings.get(m));
            for (int s = 0; s < hidden.get(m).size(); s++) {
                named.put(HeadSpec.hidden(modality, s), hidden.get(m).get(s));
            }
            output.addAll(hidden.get(m));
        }
        for (int h = 0; h < headSpecs.size(); h++) {
            NDArray input = named.get(headSpecs.get(h).input());
            output.add(extraHeads.get(h).forward(store, new NDList(input), training).singletonOrThrow());
        }
        return output;
    }

    /** Masks each embedding by its presence column, concatenates them and applies the fusion. */
    private NDArray joint(
            ParameterStore store, List<NDArray> embeddings, NDArray presence, boolean training) {
        NDList masked = new NDList();
        for (int m = 0; m < embeddings.size(); m++) {
            NDArray weight = presence.get(new NDIndex(":, {}:{}", m, m + 1));
            masked.add(embeddings.get(m).mul(weight));
        }
        // NDArrays.concat returns a detached duplicate for a single array, which would cut the
        // encoder off from the gradient, so a unimodal network passes its embedding on directly.
        NDArray concatenated = masked.size() == 1 ? masked.get(0) : NDArrays.concat(masked, 1);
        // Fusions that weigh modalities (attention, gated) also need to know which are missing.
        return fusion.forward(store, new NDList(concatenated, presence), training).singletonOrThrow();
    }

    /**
     * Runs one modality's encoder alone and returns the (batch, embeddingSize) embedding that the
     * full forward pass computes for that input. With {@link #fusedLogits} it lets an evaluation
     * that changes one modality's input skip the other encoders.
     */
    public NDArray encode(ParameterStore store, int modality, NDArray input, boolean training) {
        return encoders.get(modality).forward(store, new NDList(input), training).get(0);
    }

    /**
     * Returns the fused logits for given per-modality embeddings and presence mask, computed as in
     * the full forward pass: each embedding multiplied by its presence column, the fusion, then the
     * classifier head.
     *
     * @param embeddings one (batch, embeddingSize) array per modality, in input order
     * @param presence (batch, modalities), 1 where the sample has the modality
     */
    public NDArray fusedLogits(
            ParameterStore store, List<NDArray> embeddings, NDArray presence, boolean training) {
        if (embeddings.size() != modalities()) {
            throw new IllegalArgumentException(
                    "the network has "
                            + modalities()
                            + " modalities but got "
                            + embeddings.size()
                            + " embeddings");
        }
        NDArray joint = joint(store, embeddings, presence, training);
        return head.forward(store, new NDList(joint), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return shapes(inputShapes, null, null);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        shapes(inputShapes, manager, dataType);
    }

    /** Computes every output shape, initialising each child on the way when a manager is given. */
    private Shape[] shapes(Shape[] inputShapes, NDManager manager, DataType dataType) {
        long batch = inputShapes[0].get(0);
        long concatenated = 0;
        List<Shape> embeddingShapes = new ArrayList<>();
        List<Shape> hiddenShapes = new ArrayList<>();
        Map<String, Shape> named = new HashMap<>();
        for (int m = 0; m < modalities(); m++) {
            EncoderBlock encoder = encoders.get(m);
            if (manager != null) {
                encoder.initialize(manager, dataType, inputShapes[m]);
            }
            Shape[] encoded = encoder.getOutputShapes(new Shape[] {inputShapes[m]});
            embeddingShapes.add(encoded[0]);
            concatenated += encoded[0].get(1);
            String modality = modalityNames.get(m);
            named.put(HeadSpec.embedding(modality), encoded[0]);
            for (int s = 1; s < encoded.length; s++) {
                hiddenShapes.add(encoded[s]);
                named.put(HeadSpec.hidden(modality, s - 1), encoded[s]);
            }
            if (modalityHeads && manager != null) {
                heads.get(m).initialize(manager, dataType, encoded[0]);
            }
        }
        Shape fusionInput = new Shape(batch, concatenated);
        Shape presenceShape = new Shape(batch, modalities());
        if (manager != null) {
            fusion.initialize(manager, dataType, fusionInput, presenceShape);
        }
        Shape joint = fusion.getOutputShapes(new Shape[] {fusionInput, presenceShape})[0];
        named.put(HeadSpec.JOINT, joint);
        if (manager != null) {
            head.initialize(manager, dataType, joint);
        }
        List<Shape> shapes = new ArrayList<>();
        shapes.add(joint);
        shapes.add(new Shape(batch, numClasses));
        shapes.addAll(embeddingShapes);
        for (int m = 0; m < heads.size(); m++) {
            shapes.add(new Shape(batch, numClasses));
        }
        shapes.addAll(hiddenShapes);
        for (int h = 0; h < headSpecs.size(); h++) {
            Shape input = named.get(headSpecs.get(h).input());
            Block block = extraHeads.get(h);
            if (manager != null) {
                block.initialize(manager, dataType, input);
            }
            shapes.add(block.getOutputShapes(new Shape[] {input})[0]);
        }
        return shapes.toArray(new Shape[0]);
    }
}
