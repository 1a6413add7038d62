# The module's Windows PowerShell 5.1 loader (DesktopDependencyLoader, an AppDomain.AssemblyResolve handler) run in a
# real pwsh, as far as .NET lets it: the cmdlet assembly is loaded but the module is not imported (so no load context of
# its own), the handler is registered over dependencies/net472, and the references NAOVA_ASK lists are loaded by the
# names their assemblies ask for. Prints key=value lines: what answered each one.
$ErrorActionPreference = 'Stop'
"pwsh=$($PSVersionTable.PSVersion)"
$module = [System.Reflection.Assembly]::LoadFrom($env:NAOVA_CMDLETS)
$flags = [System.Reflection.BindingFlags]'NonPublic, Static'
$null = $module.GetType('Naova.WhatsAppToken.Loading.DesktopDependencyLoader', $true).GetMethod('Register', $flags).Invoke($null, @($env:NAOVA_NET472))
$runtime = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
foreach ($name in $env:NAOVA_ASK -split ';') {
    $simple = ([System.Reflection.AssemblyName]$name).Name
    $hostHasIt = (Test-Path (Join-Path $PSHOME "$simple.dll")) -or (Test-Path (Join-Path $runtime "$simple.dll"))
    try {
        $assembly = [System.Reflection.Assembly]::Load($name)
        "asked=$name|host=$hostHasIt|version=$($assembly.GetName().Version)|from=$($assembly.Location)"
    } catch {
        "asked=$name|host=$hostHasIt|failed=$($_.Exception.InnerException.GetType().Name): $($_.Exception.InnerException.Message)"
    }
}
