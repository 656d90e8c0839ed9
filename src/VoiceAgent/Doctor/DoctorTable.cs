using Spectre.Console;
using VoiceAgent.Core.Diagnostics;

namespace VoiceAgent.Doctor;

/// <summary>Shows a doctor report as one table and a verdict line.</summary>
public static class DoctorTable
{
    public static void Render(IAnsiConsole console, DoctorReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("check").NoWrap())
            .AddColumn(new TableColumn("status").NoWrap())
            .AddColumn("what the assistant uses")
            .AddColumn("fix");
        foreach (var row in report.Rows)
            table.AddRow(Markup.Escape(row.Check), Status(row), Markup.Escape(row.Detail), Markup.Escape(row.Fix));
        console.Write(table);

        var blocking = report.Rows.Where(r => r.Blocks).Select(r => r.Check).ToList();
        console.MarkupLine(blocking.Count == 0
            ? "[green]Ready:[/] the assistant can run as configured."
            : $"[red]Not ready:[/] fix {Markup.Escape(string.Join(", ", blocking))} (the commands are in the fix column).");
    }

    private static string Status(DoctorRow row) => row.Status switch
    {
        DoctorStatus.Ok => "[green]OK[/]",
        DoctorStatus.NotUsed => "[grey]not used[/]",
        DoctorStatus.Missing when !row.Needed => "[yellow]missing[/] [grey](optional)[/]",
        DoctorStatus.Failing when !row.Needed => "[yellow]failing[/] [grey](optional)[/]",
        DoctorStatus.Missing => "[red]missing[/]",
        _ => "[red]failing[/]",
    };
}
