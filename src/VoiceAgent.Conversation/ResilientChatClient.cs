using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using VoiceAgent.Pipeline;

namespace VoiceAgent.Conversation;

/// <summary>
/// Wraps one model call with what a spoken reply needs: a timeout for the first piece and between
/// pieces, bounded retries with backoff while nothing has been received yet (429, 5xx, timeouts,
/// network), detection of a stream that ends without finishing, and one clear line
/// (<see cref="ChatReplyException"/>) when it gives up.
/// </summary>
public sealed class ResilientChatClient(
    IChatClient inner,
    ConversationSettings settings,
    ChatTarget target,
    Action<string>? retrying = null,
    TimeProvider? clock = null) : DelegatingChatClient(inner)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages as IList<ChatMessage> ?? messages.ToList();
        for (var attempt = 1; ; attempt++)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(settings.Timeout);
            await using var pieces = base.GetStreamingResponseAsync(prompt, options, idle.Token).GetAsyncEnumerator(idle.Token);
            var received = false;
            var finished = false;
            ChatFailure? failure = null;
            while (true)
            {
                try
                {
                    if (!await pieces.MoveNextAsync()) break;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ChatReplyException)
                {
                    failure = ChatFailure.Classify(e, idle.IsCancellationRequested, received, settings.Timeout, target);
                    break;
                }
                idle.CancelAfter(settings.Timeout); // the timeout counts from the latest piece
                var update = pieces.Current;
                finished |= update.FinishReason is not null;
                received = true;
                yield return update;
            }

            if (failure is null)
            {
                // A stream that simply ends without a finish reason was cut, not completed.
                if (!finished) throw new ChatReplyException("the reply stopped mid-way: the chat endpoint ended the stream before finishing the reply");
                yield break;
            }
            if (!failure.Retryable || received || attempt > settings.MaxRetries) throw new ChatReplyException(GiveUp(failure, attempt));

            var delay = RetryDelay(failure, attempt);
            retrying?.Invoke($"{failure.Message}; retrying in {delay.TotalSeconds:0.0} s (attempt {attempt + 1} of {settings.MaxRetries + 1})");
            await Task.Delay(delay, _clock, cancellationToken);
        }
    }

    /// <summary>Exponential backoff, or what the server asked for, never more than the cap.</summary>
    private TimeSpan RetryDelay(ChatFailure failure, int attempt) =>
        new Backoff(settings.RetryBackoff, settings.MaxRetryDelay).Delay(attempt, failure.RetryAfter);

    private static string GiveUp(ChatFailure failure, int attempt) =>
        failure.Retryable && attempt > 1 ? $"{failure.Message} (gave up after {attempt} attempts)" : failure.Message;
}
