package dev.selfdistill;

/**
 * A mistake in the user's input (a missing or corrupt file, an invalid config value, an unknown
 * name). The command line prints its message as one line and exits with status 2, without a stack
 * trace, so the message must name the file, key or value and say what to do.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
