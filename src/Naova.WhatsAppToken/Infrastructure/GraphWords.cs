using System;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// The engine's notices and failures in the module's words (Messages.resx): what is being waited for and why,
    /// and what went wrong. The engine says it as data, so no English from it reaches the pipeline.
    /// </summary>
    internal static class GraphWords
    {
        public static string Notice(GraphNotice notice)
        {
            string operation = Operation(notice.Operation);
            switch (notice.Kind)
            {
                case GraphNoticeKind.Retrying:
                    return Messages.Get(notice.WaitSetByMeta ? "Verbose.Graph.RetryingAsAsked" : "Verbose.Graph.Retrying",
                        operation, Cause(notice.Cause), Duration(notice.Delay), notice.Attempt, notice.MaxAttempts, Duration(notice.BudgetLeft), Duration(notice.Budget));
                case GraphNoticeKind.SlowingDown:
                    return Messages.Get("Verbose.Graph.SlowingDown", notice.UsagePercent, notice.UsageThreshold, Duration(notice.Delay), operation);
                case GraphNoticeKind.WaitTooLong:
                    return Messages.Get("Verbose.Graph.WaitTooLong", operation, Duration(notice.Delay), Cause(notice.Cause), Duration(notice.BudgetLeft), Duration(notice.Budget));
                case GraphNoticeKind.BudgetSpent:
                    return Messages.Get("Verbose.Graph.BudgetSpent", operation, Duration(notice.Budget), notice.Attempt, Cause(notice.Cause));
                case GraphNoticeKind.BatchRefused:
                    return Messages.Get("Verbose.Graph.BatchRefused", Cause(notice.Cause));
                case GraphNoticeKind.AnswerLost:
                    return Messages.Get("Verbose.Graph.AnswerLost", operation, Cause(notice.Cause));
                case GraphNoticeKind.FetchFailed:
                    return Messages.Get("Verbose.Graph.FetchFailed", Cause(notice.Cause));
                case GraphNoticeKind.PostFormRefused:
                    return Messages.Get("Verbose.Graph.PostFormRefused", operation, Cause(notice.Cause));
                case GraphNoticeKind.AskingAgain:
                    return Messages.Get("Verbose.Graph.AskingAgain", operation);
                default:
                    return Messages.Get("Verbose.Graph.Calling", operation);
            }
        }

        public static string Operation(string? operation)
        {
            string key = "Operation." + (operation ?? "Unknown");
            return Messages.Resources.GetString(key, System.Globalization.CultureInfo.CurrentUICulture) ?? Messages.Get("Operation.Unknown");
        }

        /// <summary>Why a call failed, in a few words: Meta's code and message, or what came back instead of an answer.</summary>
        public static string Cause(GraphApiException? ex)
        {
            if (ex == null) return Messages.Get("Cause.Unknown");
            if (ex.Code.HasValue) return Messages.Get("Cause.GraphError", ex.Code, Subcode(ex), Clip(ex.Message, 200));
            return Detail(ex);
        }

        /// <summary>What went wrong, in a sentence: Meta's own words when it sent an error, the module's otherwise.</summary>
        public static string Detail(GraphApiException ex)
        {
            int status = ex.HttpStatus ?? 0;
            string type = ex.ContentType ?? Messages.Get("Detail.NoContentType");
            switch (ex.Problem)
            {
                case GraphProblem.NoErrorDescription:
                    return Messages.Get("Detail.NoErrorDescription", status);
                case GraphProblem.HtmlPage:
                    return Messages.Get("Detail.HtmlPage", status, type, ex.BodyLength);
                case GraphProblem.EmptyBody:
                    return Messages.Get("Detail.EmptyBody", status);
                case GraphProblem.NotJson:
                    return Messages.Get("Detail.NotJson", status, type, ex.BodyLength);
                case GraphProblem.BodyTooLarge:
                    return Messages.Get("Detail.BodyTooLarge", status, type);
                case GraphProblem.UnexpectedShape:
                    return Messages.Get("Detail.UnexpectedShape");
                case GraphProblem.NoAnswerInTime:
                    return Messages.Get("Detail.NoAnswerInTime", Duration(ex.Timeout ?? TimeSpan.Zero));
                case GraphProblem.ConnectionFailed:
                    return Messages.Get("Detail.ConnectionFailed");
                case GraphProblem.RequestNotSent:
                    return Messages.Get("Detail.RequestNotSent");
                default:
                    // Meta's message (cleaned and redacted by the engine), and its words for the user when it gave them.
                    return string.IsNullOrEmpty(ex.UserMessage) ? ex.Message : ex.Message + " " + ex.UserMessage;
            }
        }

        public static string Subcode(GraphApiException ex) => ex.Subcode.HasValue ? "/" + ex.Subcode : string.Empty;

        public static string Duration(TimeSpan span)
        {
            if (span.TotalMinutes >= 1) return Messages.Get("Duration.Minutes", span.TotalMinutes);
            if (span.TotalSeconds >= 1) return Messages.Get("Duration.Seconds", span.TotalSeconds);
            return Messages.Get("Duration.Milliseconds", Math.Round(span.TotalMilliseconds));
        }

        private static string Clip(string text, int max) => text.Length <= max ? text : text.Substring(0, max) + "\u2026";
    }
}
