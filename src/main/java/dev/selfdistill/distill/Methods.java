package dev.selfdistill.distill;

import dev.selfdistill.UserError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Registry of training methods by name, so that study files and the command line name methods
 * without a switch over names anywhere else.
 */
public final class Methods {
    private static final Map<String, Function<MethodParams, MethodPlan>> REGISTRY = new LinkedHashMap<>();

    static {
        register(Baseline.NAME, params -> {
            params.checkAllRead();
            return simple(Baseline.NAME, params, Baseline::new);
        });
        register(BornAgain.NAME, params -> {
            BornAgain.Settings settings = BornAgain.Settings.from(params);
            return new MethodPlan() {
                @Override
                public String name() {
                    return BornAgain.NAME;
                }

                @Override
                public Map<String, Object> parameters() {
                    return params.resolved();
                }

                @Override
                public int generations() {
                    return settings.generations();
                }

                @Override
                public Method create(int generation, TeacherLogits previousGeneration) {
                    if (previousGeneration == null) {
                        throw new IllegalArgumentException("born-again generation " + generation + " needs its teacher's logits");
                    }
                    return new BornAgain(settings, previousGeneration);
                }
            };
        });
        register(EmaTeacher.NAME, params -> {
            EmaTeacher.Settings settings = EmaTeacher.Settings.from(params);
            return simple(EmaTeacher.NAME, params, () -> new EmaTeacher(settings));
        });
        register(DeepSupervision.NAME, DeepSupervision::plan);
        register(CrossModal.NAME, CrossModal::plan);
        register(ClassWise.NAME, ClassWise::plan);
        register(Progressive.NAME, Progressive::plan);
        register(TeacherFree.NAME, TeacherFree::plan);
        register(LabelSmoothing.NAME, LabelSmoothing::plan);
        register(ClassicKd.NAME, ClassicKd::plan);
        register(Dino.NAME, params -> {
            Dino.Settings settings = Dino.Settings.from(params);
            return simple(Dino.NAME, params, () -> new Dino(settings));
        });
        register(Data2Vec.NAME, params -> {
            Data2Vec.Settings settings = Data2Vec.Settings.from(params);
            return simple(Data2Vec.NAME, params, () -> new Data2Vec(settings));
        });
        register(PseudoLabel.NAME, params -> {
            PseudoLabel.Settings settings = PseudoLabel.Settings.from(params);
            return simple(PseudoLabel.NAME, params, () -> new PseudoLabel(settings));
        });
        register(LabeledOnly.NAME, params -> {
            LabeledOnly.Settings settings = LabeledOnly.Settings.from(params);
            return simple(LabeledOnly.NAME, params, () -> new LabeledOnly(settings));
        });
    }

    private Methods() {}

    /** Adds a method to the registry; later registrations of a name replace earlier ones. */
    public static void register(String name, Function<MethodParams, MethodPlan> factory) {
        REGISTRY.put(name, factory);
    }

    /** Returns the registered names in registration order. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** Validates the parameters of a named method and returns its plan. */
    public static MethodPlan plan(String name, Map<String, Object> parameters) {
        Function<MethodParams, MethodPlan> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new UserError("unknown method '" + name + "'; available methods: " + String.join(", ", names()));
        }
        return factory.apply(new MethodParams(name, parameters == null ? Collections.emptyMap() : parameters));
    }

    /** Builds the plan of a method without generations. */
    public static MethodPlan simple(String name, MethodParams params, java.util.function.Supplier<Method> constructor) {
        Map<String, Object> resolved = params.resolved();
        return new MethodPlan() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> parameters() {
                return resolved;
            }

            @Override
            public Method create(int generation, TeacherLogits previousGeneration) {
                return constructor.get();
            }
        };
    }
}
