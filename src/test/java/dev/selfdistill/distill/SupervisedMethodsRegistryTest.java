package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisedMethodsRegistryTest {
    private static final List<String> NAMES =
            List.of(
                    "deep-supervision",
                    "cross-modal",
                    "class-wise",
                    "progressive",
                    "teacher-free",
                    "label-smoothing",
                    "classic-kd");

    @Test
    void everyMethodIsRegistered() {
        for (String name : NAMES) {
            assertTrue(Methods.names().contains(name), name + " is not registered");
            MethodPlan plan = Methods.plan(name, Map.of());
            assertEquals(name, plan.name());
            assertEquals(0, plan.generations());
            try (Method method = plan.create(0, null)) {
                assertEquals(name, method.name());
            }
        }
    }

    @Test
    void unknownParameterIsRejectedByName() {
        for (String name : NAMES) {
            UserError error =
                    assertThrows(
                            UserError.class, () -> Methods.plan(name, Map.of("temprature", 2.0)));
            assertTrue(
                    error.getMessage().contains("methods." + name + ".temprature"),
                    error.getMessage());
        }
    }

    @Test
    void planReportsDefaults() {
        assertEquals(
                Map.of(
                        "alpha",
                        0.3,
                        "feature_weight",
                        0.03,
                        "temperature",
                        3.0,
                        "adapter_channels",
                        64,
                        "embedding_heads",
                        true),
                Methods.plan("deep-supervision", Map.of()).parameters());
        assertEquals(Map.of("alpha_T", 0.8), Methods.plan("progressive", Map.of()).parameters());
        assertEquals(
                Map.of("temperature", 4.0, "alpha", 0.9, "teacher_joint_size", 0,
                        "teacher_learning_rate_scale", 0.5),
                Methods.plan("classic-kd", Map.of()).parameters());
    }

    @Test
    void outOfRangeValueIsRejected() {
        UserError error =
                assertThrows(
                        UserError.class,
                        () -> Methods.plan("label-smoothing", Map.of("epsilon", 1.5)));
        assertTrue(
                error.getMessage().contains("methods.label-smoothing.epsilon"), error.getMessage());
        assertThrows(
                UserError.class,
                () -> Methods.plan("cross-modal", Map.of("ensemble_teaches_fused", "yes")));
    }
}
