/**
 * The pipeline runtime's errors. Each is a `Schema.TaggedError` with a readable `message`, so the transport
 * can re-export them or send them over the wire unchanged.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const withMessage = <F extends Schema.Struct.Fields>(fields: F) => ({ ...fields, message: Schema.String })

/** The manifest cannot be run: `message` names the node, edge or field that is wrong. */
export class InvalidManifest extends Schema.TaggedError<InvalidManifest>()("InvalidManifest", withMessage({})) {}

/** A node failed while processing; its session is over. */
export class ExecutionError extends Schema.TaggedError<ExecutionError>()("ExecutionError", withMessage({ nodeId: Schema.String })) {}

/** A unary execution did not produce its output in time. */
export class PipelineTimeout extends Schema.TaggedError<PipelineTimeout>()("PipelineTimeout", withMessage({ afterMs: Schema.Number })) {}

/** Input data is malformed (e.g. an odd number of samples for stereo audio); `field` names what is wrong. */
export class ValidationError extends Schema.TaggedError<ValidationError>()("ValidationError", withMessage({ field: Schema.String })) {}

/** The session was closed (or ended after a failure) and takes no more input. */
export class SessionClosed extends Schema.TaggedError<SessionClosed>()("SessionClosed", withMessage({ sessionId: Schema.String })) {}

/** The runner could not start a session for a valid manifest. */
export class SessionCreationFailed extends Schema.TaggedError<SessionCreationFailed>()("SessionCreationFailed", withMessage({})) {}
