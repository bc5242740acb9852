package dev.selfdistill.eval;

/**
 * Limited-memory BFGS minimiser for smooth convex objectives: the two-loop recursion of Nocedal
 * and Wright (2006, "Numerical Optimization", 2nd ed., Algorithm 7.4) with a backtracking
 * Armijo line search. It has no randomness, so the same start and objective give the same
 * result.
 */
final class Lbfgs {
    /** Number of (s, y) pairs kept for the inverse Hessian estimate. */
    static final int MEMORY = 10;

    /** Sufficient-decrease constant c1 of the Armijo condition f(x + a d) <= f(x) + c1 a g.d. */
    private static final double ARMIJO = 1e-4;

    private static final int MAX_BACKTRACKS = 60;

    private Lbfgs() {}

    /** A differentiable objective. */
    @FunctionalInterface
    interface Objective {
        /** Returns f(x) and writes the gradient at x into {@code gradient}. */
        double valueAndGradient(double[] x, double[] gradient);
    }

    /** Outcome of a minimisation. */
    record Result(double[] x, double value, int iterations, boolean converged) {}

    /**
     * Minimises {@code objective} from {@code start} until the largest absolute gradient entry is
     * at most {@code gradientTolerance}, the relative decrease of f in one step falls below 1e-12,
     * {@code maxIterations} steps have been taken, or the line search finds no step that
     * decreases f enough. {@code converged} is true only for the first two stopping rules.
     */
    static Result minimize(
            Objective objective, double[] start, int maxIterations, double gradientTolerance) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = objective.valueAndGradient(x, g);
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] direction = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        double[] alpha = new double[MEMORY];
        double[] sScratch = new double[n];
        double[] yScratch = new double[n];
        int iteration = 0;
        boolean converged = false;
        while (iteration < maxIterations) {
            if (maxAbs(g) <= gradientTolerance) {
                converged = true;
                break;
            }
            twoLoop(g, s, y, rho, stored, newest, alpha, direction);
            double slope = dot(direction, g);
            if (!(slope < 0)) {
                // The curvature pairs no longer give a descent direction, so restart from -g.
                stored = 0;
                for (int i = 0; i < n; i++) {
                    direction[i] = -g[i];
                }
                slope = -dot(g, g);
            }
            // Without curvature pairs the direction is -g, whose length carries no step scale.
            double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < MAX_BACKTRACKS; tries++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * direction[i];
                }
                fNew = objective.valueAndGradient(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                // Minimum of the quadratic through f(x), f'(x) and f(x + step d), kept within
                // [0.1, 0.5] of the current step so that one poor fit cannot stall the search.
                double curvature = fNew - fx - slope * step;
                double next = curvature > 0 ? -slope * step * step / (2 * curvature) : 0.5 * step;
                step = Math.max(0.1 * step, Math.min(0.5 * step, next));
            }
            if (!accepted) {
                break;
            }
            iteration++;
            for (int i = 0; i < n; i++) {
                sScratch[i] = xNew[i] - x[i];
                yScratch[i] = gNew[i] - g[i];
            }
            double sy = dot(sScratch, yScratch);
            // A pair without positive curvature would break the positive-definite estimate.
            if (sy > 1e-12 * Math.sqrt(dot(sScratch, sScratch) * dot(yScratch, yScratch))) {
                newest = (newest + 1) % MEMORY;
                double[] sOld = s[newest];
                double[] yOld = y[newest];
                s[newest] = sScratch;
                y[newest] = yScratch;
                rho[newest] = 1.0 / sy;
                stored = Math.min(stored + 1, MEMORY);
                sScratch = sOld == null ? new double[n] : sOld;
                yScratch = yOld == null ? new double[n] : yOld;
            }
            double decrease = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (decrease <= 1e-12 * Math.max(1.0, Math.abs(fx))) {
                converged = true;
                break;
            }
        }
        return new Result(x, fx, iteration, converged);
    }

    /** Writes -H g into {@code direction}, with H the L-BFGS inverse Hessian estimate. */
    private static void twoLoop(
            double[] g, double[][] s, double[][] y, double[] rho, int stored, int newest,
            double[] alpha, double[] direction) {
        int n = g.length;
        for (int i = 0; i < n; i++) {
            direction[i] = -g[i];
        }
        for (int k = 0; k < stored; k++) {
            int idx = (newest - k + MEMORY) % MEMORY;
            alpha[idx] = rho[idx] * dot(s[idx], direction);
            axpy(-alpha[idx], y[idx], direction);
        }
        if (stored > 0) {
            // Initial Hessian gamma I with gamma = s.y / y.y from the newest pair.
            double gamma = 1.0 / (rho[newest] * dot(y[newest], y[newest]));
            for (int i = 0; i < n; i++) {
                direction[i] *= gamma;
            }
        }
        for (int k = stored - 1; k >= 0; k--) {
            int idx = (newest - k + MEMORY) % MEMORY;
            double beta = rho[idx] * dot(y[idx], direction);
            axpy(alpha[idx] - beta, s[idx], direction);
        }
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] target) {
        for (int i = 0; i < x.length; i++) {
            target[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
